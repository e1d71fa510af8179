/** Reads a QR code back from a PNG, as a phone's camera would. */
import jsqr from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS with a default export; under ESM interop the function may sit one level down.
const jsQR = ((jsqr as unknown as { default?: unknown }).default ?? jsqr) as unknown as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
