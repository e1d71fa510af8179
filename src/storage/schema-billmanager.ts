/** Tables of the Bill Manager face, merged into the one Database interface in schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BillManagerTables {}
