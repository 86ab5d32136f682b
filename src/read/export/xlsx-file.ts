import { StreamableFile } from '@nestjs/common';
import { PassThrough } from 'node:stream';
import type { ExportTable } from './export-table';
import { writeXlsx } from './xlsx-writer';

/**
 * An xlsx answer streamed as it is written. A failure half-way destroys the stream, so the
 * client sees a broken download rather than a file that looks whole.
 */
export function xlsxFile<Row>(table: ExportTable<Row>): StreamableFile {
  const stream = new PassThrough();
  writeXlsx(table, stream).catch((error: unknown) => stream.destroy(error as Error));
  return new StreamableFile(stream);
}
