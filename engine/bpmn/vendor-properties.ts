/**
 * Names of the `camunda:property` entries the export writes for what BPMN cannot say (working days, the case
 * number prefix, a final state's outcome…); the import reads them back so that export → import keeps the
 * definition. Other tools simply ignore them.
 */
export const PROPERTY = {
  /** Only when the process id cannot be the key (a state has that id). */
  key: 'verfahren:key',
  caseNumberPrefix: 'verfahren:caseNumberPrefix',
  category: 'verfahren:category',
  fee: 'verfahren:fee',
  duration: 'verfahren:duration',
  requiresLogin: 'verfahren:requiresLogin',
  synonyms: 'verfahren:synonyms',
  constants: 'verfahren:constants',
  /** Complete JSON Schema of a form that camunda:formData cannot express. */
  form: 'verfahren:form',
  status: 'verfahren:status',
  outcome: 'verfahren:outcome',
  due: 'verfahren:due',
  retry: 'verfahren:retry',
  /** On a timer event: the delay counts working days; timeDuration then holds the same number of calendar days. */
  workingDays: 'verfahren:workingDays',
} as const;

/** The variable a task's outcome is tested with on the gateway after the task (`=outcome = "approve"`). */
export const OUTCOME_VARIABLE = 'outcome';
