import type { Form, FormField } from '../../engine/definition/form.schema.ts';

/** A file the citizen attached to an application: where it sits in the data, its field label and media type. */
export type Attachment = { path: string; label: string; mediaType: string; bytes: number };

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+)((?:;[\w-]+=[\w-]+)*);base64,([A-Za-z0-9+/=]*)$/;

/** Media types a browser may show inline from our origin; anything else is only offered as a download. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

function parse(value: unknown): { mediaType: string; base64: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = DATA_URL.exec(value);
  return m ? { mediaType: m[1]!.toLowerCase(), base64: m[3]! } : undefined;
}

/** Bytes behind base64 text, without decoding it. */
const decodedLength = (base64: string) => Math.floor((base64.length * 3) / 4) - (base64.match(/=*$/)?.[0].length ?? 0);

const isFile = (field: FormField | undefined) => field?.format === 'data-url' || field?.['x-widget'] === 'file';

/** Every attachment in application data, found through the form's file fields (also inside groups and lists). */
export function listAttachments(form: Form | FormField, data: unknown, prefix = ''): Attachment[] {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const found: Attachment[] = [];
  for (const [name, field] of Object.entries(form.properties ?? {})) {
    const value = (data as Record<string, unknown>)[name];
    const path = prefix ? `${prefix}.${name}` : name;
    const title = field.title ?? name;
    if (field.type === 'object') found.push(...listAttachments(field, value, path));
    const single = isFile(field) ? [[path, title, value] as const] : [];
    const listed =
      field.type === 'array' && isFile(field.items) && Array.isArray(value)
        ? value.map((v, i) => [`${path}.${i}`, `${field.items?.title ?? title} ${i + 1}`, v] as const)
        : [];
    for (const [p, l, v] of [...single, ...listed]) {
      const file = parse(v);
      if (file) {
        found.push({ path: p, label: l, mediaType: file.mediaType, bytes: decodedLength(file.base64) });
      }
    }
  }
  return found;
}

/** The bytes of the attachment at `path`, with the media type to serve it as; undefined when there is none. */
export function readAttachment(
  form: Form,
  data: unknown,
  path: string,
): { bytes: Buffer; mediaType: string; inline: boolean; fileName: string } | undefined {
  const listed = listAttachments(form, data).find((a) => a.path === path);
  if (!listed) return undefined;
  let value: unknown = data;
  for (const part of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  const file = parse(value);
  if (!file) return undefined;
  const extension = file.mediaType.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
  return {
    bytes: Buffer.from(file.base64, 'base64'),
    mediaType: file.mediaType,
    inline: INLINE.has(file.mediaType),
    fileName: `${path.replace(/[^A-Za-z0-9_-]+/g, '-')}.${extension}`,
  };
}
