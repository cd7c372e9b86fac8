import type { FormField } from '../../../engine/definition/form.schema.ts';

/** How a field is entered; `multiple` is an array of choices (checkboxes), `file` one file or a list of them. */
export type Widget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'date'
  | 'email'
  | 'address'
  | 'choice'
  | 'yesno'
  | 'file'
  | 'multiple';

/** The widget of a field: its `x-widget`, else what its type and format suggest. */
export function widgetOf(field: FormField): Widget {
  if (field.type === 'array') return field.items && widgetOf(field.items) === 'file' ? 'file' : 'multiple';
  if (field['x-widget'] && field['x-widget'] !== 'yesno') return field['x-widget'];
  if (field.type === 'boolean' || field['x-widget'] === 'yesno') return 'yesno';
  if (field.type === 'number' || field.type === 'integer') return 'number';
  if (field.oneOf || field.enum) return 'choice';
  if (field.format === 'date') return 'date';
  if (field.format === 'email') return 'email';
  if (field.format === 'data-url') return 'file';
  return 'text';
}

/** The options of a choice: `oneOf` with titles, else the `enum` values as their own labels. */
export function choicesOf(field: FormField): { value: string | number; label: string }[] {
  if (field.oneOf) return field.oneOf.map((o) => ({ value: o.const, label: o.title }));
  return (field.enum ?? []).map((v) => ({ value: v, label: String(v) }));
}

/**
 * What a number input holds: nothing when empty, a number when it reads as one (German decimal comma too),
 * else the text itself, so validation names the mistake instead of silently dropping it.
 */
export function parseNumber(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+([.,]\d+)?$/.test(trimmed) ? Number(trimmed.replace(',', '.')) : text;
}

/** Bytes as people read them, in the page's language ("10 MB", "512 KB"). */
export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/tiff': 'TIFF',
  'text/plain': 'TXT',
};

/** A media type's short name ("PDF" for application/pdf). */
export function typeName(mediaType: string): string {
  return TYPE_NAMES[mediaType] ?? mediaType;
}

/** Why a chosen file is refused by the field's `x-accept`/`x-maxBytes`, or undefined when it fits. */
export function fileProblem(
  file: { type: string; size: number },
  field: FormField,
): { kind: 'type' } | { kind: 'size'; limit: number } | undefined {
  const accept = field['x-accept'];
  if (accept?.length && !accept.includes(file.type)) return { kind: 'type' };
  const limit = field['x-maxBytes'];
  if (limit !== undefined && file.size > limit) return { kind: 'size', limit };
  return undefined;
}

/** The media type and decoded size of a base64 data URL (what a file field holds). */
export function describeDataUrl(dataUrl: string): { type: string; bytes: number } | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+)(?:;[\w-]+=[\w-]+)*;base64,([A-Za-z0-9+/=]*)$/.exec(dataUrl);
  if (!match) return undefined;
  const base64 = match[2] ?? '';
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return { type: match[1] ?? '', bytes: Math.max(0, (base64.length / 4) * 3 - padding) };
}

/**
 * What a date input holds: the ISO date (`1990-05-14`) when the text reads as one – German `14.05.1990` or ISO –
 * nothing when empty, else the text itself for validation to name. A text input, not `type=date`: its keyboard
 * entry depends on the browser's locale.
 */
export function parseDate(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(trimmed);
  if (german) return `${german[3]}-${german[2]?.padStart(2, '0')}-${german[1]?.padStart(2, '0')}`;
  return text;
}

/** An ISO date as the German input shows it (`14.05.1990`); anything else unchanged. */
export function showDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return iso ? `${iso[3]}.${iso[2]}.${iso[1]}` : value;
}
