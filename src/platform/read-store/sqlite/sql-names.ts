/** The names SQLite knows a read store's collections and fields by, quoted for SQL text. */

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function tableOf(collection: string): string {
  if (!NAME.test(collection)) throw new Error(`"${collection}" is not a valid collection name`);
  return quote(`rm_${collection}`);
}

/** The side table of an element index, by the element field's path. */
export function sideTableOf(collection: string, path: string): string {
  return `rx_${collection}[${path}]`;
}

export function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/** A declared field's value in a stored document. */
export function extract(field: string): string {
  return `json_extract(doc, '$.${field}')`;
}
