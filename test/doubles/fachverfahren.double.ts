export {
  type FachverfahrenCounterpart as FachverfahrenDouble,
  type FachverfahrenCounterpartOptions as FachverfahrenDoubleOptions,
  type FachverfahrenSeed,
  type ReceivedMessage,
  startFachverfahrenCounterpart as startFachverfahrenDouble,
} from '../../connectors/fachverfahren-http/fachverfahren.counterpart.ts';
