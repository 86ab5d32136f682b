import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, ValidateBy } from 'class-validator';
import { XLSX_MEDIA_TYPE } from '../../http/api-responses';
import { CSV_DELIMITERS, type CsvDelimiter } from './csv-writer';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: XLSX_MEDIA_TYPE,
};

export { CSV_DELIMITERS, type CsvDelimiter };

/** `attachment; filename="<base>.<format>"`; the base is ours (letters, digits, dashes), never input. */
export function attachment(base: string, format: ExportFormat): string {
  return `attachment; filename="${base.replace(/[^A-Za-z0-9._-]/g, '-')}.${format}"`;
}

/**
 * The `delimiter` query parameter of an export: `,` (default) or `;`. It belongs to CSV: given
 * with another format it is refused, not ignored.
 */
export const CsvDelimiterParam = (): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({
      enum: CSV_DELIMITERS,
      default: ',',
      description: 'format=csv only: ; for spreadsheets with Indonesian regional settings',
    }),
    IsOptional(),
    IsIn(CSV_DELIMITERS, { message: 'delimiter must be , or ;' }),
    onlyWithCsv(),
  );

const onlyWithCsv = (): PropertyDecorator =>
  ValidateBy({
    name: 'onlyWithCsv',
    validator: {
      validate: (value: unknown, args) =>
        value === undefined || (args?.object as { format?: unknown }).format === 'csv',
      defaultMessage: (args) => `${args?.property ?? 'value'} applies to format=csv only`,
    },
  });
