import { describe, expect, it } from 'vitest';
import type { Form } from '../../engine/definition/form.schema.ts';
import { listAttachments, readAttachment } from './attachments.ts';

const form: Form = {
  type: 'object',
  properties: {
    proof: {
      type: 'object',
      title: 'Nachweis',
      properties: { file: { type: 'string', format: 'data-url', title: 'Vollmacht' }, note: { type: 'string' } },
    },
    photos: { type: 'array', title: 'Fotos', items: { type: 'string', format: 'data-url', title: 'Foto' } },
  },
};
const data = {
  proof: { file: 'data:application/pdf;base64,JVBERi0=', note: 'data:text/html;base64,PGI+' },
  photos: ['data:image/png;base64,iVBORw==', 'kein Bild', 'data:text/html;base64,PHNjcmlwdD4='],
};

describe('attachments of an application', () => {
  it('finds file fields in groups and lists, and nothing else', () => {
    expect(listAttachments(form, data)).toEqual([
      { path: 'proof.file', label: 'Vollmacht', mediaType: 'application/pdf', bytes: 5 },
      { path: 'photos.0', label: 'Foto 1', mediaType: 'image/png', bytes: 4 },
      { path: 'photos.2', label: 'Foto 3', mediaType: 'text/html', bytes: 8 },
    ]);
  });

  it('serves images and PDF inline and anything else only as a download', () => {
    expect(readAttachment(form, data, 'proof.file')).toMatchObject({ mediaType: 'application/pdf', inline: true });
    expect(readAttachment(form, data, 'photos.2')).toMatchObject({
      mediaType: 'text/html',
      inline: false,
      fileName: 'photos-2.html',
    });
    expect(readAttachment(form, data, 'proof.note')).toBeUndefined();
    expect(readAttachment(form, data, 'photos.1')).toBeUndefined();
  });
});
