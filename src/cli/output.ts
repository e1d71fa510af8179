/** Every command prints for people by default and, with --json, one JSON document for scripts. */
export function emit(json: boolean, data: Record<string, unknown>, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
}
