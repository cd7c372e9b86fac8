import i18next from 'i18next';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import type { Form } from '../../../engine/definition/form.schema.ts';
import { portalMessages } from '../portal/portal.messages.ts';
import { FormView, type FormViewProps, fieldId } from './form-view.tsx';

const i18n = i18next.createInstance();
await i18n.use(initReactI18next).init({
  resources: { de: { portal: portalMessages.de }, en: { portal: portalMessages.en } },
  lng: 'de',
  interpolation: { escapeValue: false },
});

const form: Form = {
  type: 'object',
  properties: {
    person: {
      type: 'object',
      title: 'Person',
      description: 'Wer beantragt',
      properties: {
        name: { type: 'string', title: 'Name', description: 'Wie im Ausweis' },
        born: { type: 'string', format: 'date', title: 'Geboren' },
        kind: {
          type: 'string',
          title: 'Art',
          oneOf: [
            { const: 'a', title: 'Erste' },
            { const: 'b', title: 'Zweite' },
          ],
        },
        why: { type: 'string', title: 'Warum', 'x-widget': 'textarea', 'x-visibleIf': 'person.kind = "b"' },
        proof: {
          type: 'string',
          format: 'data-url',
          title: 'Nachweis',
          'x-accept': ['application/pdf'],
          'x-maxBytes': 2 * 1024 * 1024,
        },
      },
      required: ['name', 'kind'],
    },
    copies: { type: 'integer', title: 'Anzahl', 'x-widget': 'number' },
    agree: { type: 'boolean', title: 'Einverstanden' },
  },
};

/** The static markup of a FormView (no DOM needed: checks run on the HTML). */
function render(props: Partial<FormViewProps>): string {
  const html = renderToStaticMarkup(
    <I18nextProvider i18n={i18n}>
      <FormView form={form} values={{}} onChange={() => {}} errors={[]} idPrefix="f" {...props} />
    </I18nextProvider>,
  );
  return html;
}

describe('FormView', () => {
  it('renders groups as fieldsets and wires label, hint and error to each input', () => {
    const view = render({ errors: [{ path: 'person.name', message: 'Pflichtfeld' }] });
    expect(view).toMatch(/<fieldset[^>]*id="f-person"[^>]*><legend class="kern-label">Person<\/legend>/);
    expect(view).toMatch(/<label class="kern-label" for="f-person-name">Name<\/label>/);
    expect(view).toMatch(/id="f-person-name-hinweis"[^>]*>Wie im Ausweis/);
    expect(view).toMatch(/id="f-person-name-fehler".*Pflichtfeld/);
    expect(view).toMatch(
      /<input id="f-person-name" aria-describedby="f-person-name-hinweis f-person-name-fehler" aria-invalid="true"/,
    );
    expect(view).toMatch(/for="f-person-born">Geboren<span class="kern-label__optional"> \(optional\)/);
  });

  it('offers choices as radios, yes/no for booleans, and shows file limits', () => {
    const view = render({});
    expect(view).toMatch(/<input[^>]*type="radio" id="f-person-kind" name="f-person-kind"/);
    expect(view).toMatch(/<label class="kern-label" for="f-person-kind-1">Zweite<\/label>/);
    expect(view).toMatch(/<label class="kern-label" for="f-agree">Ja<\/label>/);
    expect(view).toMatch(/Erlaubte Dateitypen: PDF\. Höchstens 2 MB\./);
    expect(view).toMatch(/type="file"[^>]*accept="application\/pdf"/);
    expect(view).toMatch(/inputMode="numeric"/);
  });

  it('shows a field only while its x-visibleIf holds', () => {
    expect(render({ values: { person: { kind: 'a' } } })).not.toMatch(/Warum/);
    expect(render({ values: { person: { kind: 'b' } } })).toMatch(/<textarea id="f-person-why"/);
  });

  it('renders one group alone as a step, and answers read-only as a summary', () => {
    const step = render({ group: 'person' });
    expect(step).not.toMatch(/<legend class="kern-label">Person/);
    expect(step).not.toMatch(/Anzahl/);
    expect(step).toMatch(/for="f-person-name"/);
    const summary = render({ readOnly: true, values: { person: { name: 'Ada', kind: 'b' }, agree: true } });
    expect(summary).not.toMatch(/<input/);
    expect(summary).toMatch(/<dt class="kern-description-list-item__key">Art<\/dt><dd[^>]*>Zweite<\/dd>/);
    expect(summary).toMatch(/Einverstanden<\/dt><dd[^>]*>Ja</);
  });

  it('takes a list of files for an array of data URLs, and lists them in the summary', () => {
    const files: Form = {
      type: 'object',
      properties: {
        photos: {
          type: 'array',
          title: 'Fotos',
          items: { type: 'string', format: 'data-url', 'x-accept': ['image/png'] },
        },
      },
    };
    expect(render({ form: files })).toMatch(/type="file" multiple="" accept="image\/png"/);
    const photo = 'data:image/png;base64,QUJD';
    expect(render({ form: files, values: { photos: [photo, photo] } })).toMatch(/Datei 2 \(PNG, 3 B\)/);
    expect(render({ form: files, values: { photos: [photo] }, readOnly: true })).toMatch(/Datei \(PNG, 3 B\)/);
  });

  it('names field ids after the dotted path', () => {
    expect(fieldId('antrag', 'person.name')).toBe('antrag-person-name');
  });
});
