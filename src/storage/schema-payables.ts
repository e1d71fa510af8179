/** Tables of the payables module (seed 004), merged into the one Database interface in schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PayablesTables {}
