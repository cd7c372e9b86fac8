import { useTranslation } from 'react-i18next';
import type { Definition } from '../../../engine/definition/definition.schema.ts';
import { useEditorStore } from './editor-context.ts';
import { constantToText, textToConstant } from './entry-edits.ts';
import { stateLabel } from './flow.ts';
import { CheckField, CommitField, SelectField } from './inspector-fields.tsx';
import { NamedEntries } from './named-entries.tsx';

/** Nothing selected: the procedure itself, with what the service catalogue shows and the case constants. */
export function ProcedureInspector({ definition }: { definition: Definition }) {
  const { t } = useTranslation('modeler');
  const store = useEditorStore();
  const set = (patch: Partial<Definition>) => store.getState().apply((d) => ({ ...d, ...patch }));
  const ids = Object.keys(definition.states);
  const optional = (key: 'description' | 'category' | 'fee' | 'duration', id: string, multiline = false) => (
    <CommitField
      id={id}
      label={t(`inspector.procedure.${key}`)}
      multiline={multiline}
      value={definition[key] ?? ''}
      onCommit={(value) => set({ [key]: value.trim() || undefined })}
    />
  );
  return (
    <div className="vw-inspector__body">
      <p className="kern-body kern-body--small">{t('inspector.procedureHint')}</p>
      <CommitField
        id="eig-titel"
        label={t('inspector.procedureTitle')}
        value={definition.title}
        onCommit={(title) => title.trim() && set({ title })}
      />
      {optional('description', 'eig-beschreibung', true)}
      <CommitField
        id="eig-praefix"
        label={t('create.prefix')}
        value={definition.caseNumberPrefix}
        onCommit={(caseNumberPrefix) => set({ caseNumberPrefix })}
      />
      {ids.length > 0 && (
        <SelectField
          id="eig-start"
          label={t('inspector.initial')}
          value={definition.initial}
          options={[
            ...(definition.states[definition.initial] ? [] : [{ value: definition.initial, label: '–' }]),
            ...ids.map((id) => ({ value: id, label: stateLabel(id, definition.states[id]!) })),
          ]}
          onChange={(initial) => set({ initial })}
        />
      )}
      <h3 className="kern-heading kern-heading-small">{t('inspector.procedure.catalogue')}</h3>
      <CommitField
        id="eig-suchbegriffe"
        label={t('inspector.procedure.synonyms')}
        hint={t('inspector.procedure.synonymsHint')}
        multiline
        value={definition.synonyms.join('\n')}
        onCommit={(text) =>
          set({
            synonyms: text
              .split('\n')
              .map((line) => line.trim())
              .filter(Boolean),
          })
        }
      />
      {optional('category', 'eig-kategorie')}
      {optional('fee', 'eig-gebuehr')}
      {optional('duration', 'eig-dauer')}
      <CheckField
        id="eig-anmeldung"
        label={t('inspector.procedure.requiresLogin')}
        checked={definition.requiresLogin}
        onChange={(requiresLogin) => set({ requiresLogin })}
      />
      <NamedEntries<unknown>
        id="eig-konstante"
        legend={t('inspector.procedure.constants')}
        hint={t('inspector.procedure.constantsHint')}
        entries={definition.constants}
        nameLabel={(n) => t('inspector.procedure.constantName', { n })}
        addLabel={t('inspector.procedure.addConstant')}
        newName="konstante"
        newValue=""
        renderValue={(value, n, setValue) => (
          <CommitField
            id={`eig-konstante-${n - 1}-wert`}
            label={t('inspector.procedure.constantValue', { n })}
            multiline
            value={constantToText(value)}
            onCommit={(text) => setValue(textToConstant(text))}
          />
        )}
        onChange={(constants) => set({ constants })}
      />
    </div>
  );
}
