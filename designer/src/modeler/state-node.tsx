import { Handle, type NodeProps, Position } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import type { StateNode } from './flow.ts';

/** One state on the canvas: its kind (shape and colour per kind), title, start mark and problem marker. */
export function StateNodeView({ data, selected }: NodeProps<StateNode>) {
  const { t } = useTranslation('modeler');
  const classes = ['vw-node', `vw-node--${data.kind}`];
  if (selected) classes.push('is-selected');
  if (data.current) classes.push('is-current');
  if (data.change) classes.push(`is-${data.change}`);
  return (
    <div className={classes.join(' ')}>
      <Handle type="target" position={Position.Top} />
      <span className="vw-node__kind">
        <span aria-hidden="true" className="vw-node__icon" />
        {t(`kind.${data.kind}`)}
        {data.initial && ` · ${t('canvas.start')}`}
      </span>
      <span className="vw-node__label">{data.label}</span>
      {data.problems ? (
        <span className="vw-node__marker">{t('canvas.problemMarker', { count: data.problems })}</span>
      ) : null}
      {data.current && <span className="vw-node__marker vw-node__marker--current">{t('canvas.current')}</span>}
      {data.change && <span className="vw-node__marker">{t(`compare.${data.change}`)}</span>}
      {data.kind !== 'final' && <Handle type="source" position={Position.Bottom} />}
    </div>
  );
}
