import { parseExpression } from 'feelin';

/** Result of turning a BPMN expression into FEEL: the expression, or why it cannot be carried over one-to-one. */
export type FeelConversion = { ok: true; feel: string } | { ok: false; reason: string };

/** True when feelin parses the expression without a syntax error. */
function isValidFeel(expression: string): boolean {
  if (expression.trim() === '') return false;
  let valid = true;
  try {
    parseExpression(expression, {}, undefined).iterate({
      enter(node) {
        if (node.type.isError) valid = false;
      },
    });
  } catch {
    return false;
  }
  return valid;
}

const JUEL_WORD_OPERATORS: Record<string, string> = {
  and: 'and',
  or: 'or',
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  true: 'true',
  false: 'false',
  null: 'null',
};
const JUEL_REFUSED_WORDS = new Set(['not', 'empty', 'div', 'mod', 'instanceof']);
const FEEL_RESERVED_WORDS = new Set([
  'for',
  'return',
  'if',
  'then',
  'else',
  'some',
  'every',
  'satisfies',
  'instance',
  'of',
  'in',
  'function',
  'external',
  'between',
  'not',
]);
const OPERAND_EXPECTED_AFTER = new Set(['=', '!=', '<', '>', '<=', '>=', 'and', 'or', '(']);
const JUEL_SYMBOLS: [string, string][] = [
  ['==', '='],
  ['!=', '!='],
  ['<=', '<='],
  ['>=', '>='],
  ['&&', 'and'],
  ['||', 'or'],
  ['<', '<'],
  ['>', '>'],
  ['(', '('],
  [')', ')'],
];

/**
 * Converts the inside of a JUEL expression (`amount > 100 && status == "neu"`) to FEEL, but only when every
 * token has an exact FEEL counterpart: comparisons, and/or, parentheses, dotted names, numbers, string literals,
 * true/false/null. Anything else (method calls, `!`, `empty`, arithmetic, ternaries) is refused, since a
 * guessed translation could take a different branch than the original engine.
 */
function juelToFeel(juel: string): FeelConversion {
  const out: string[] = [];
  let i = 0;
  while (i < juel.length) {
    const rest = juel.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest);
    if (name) {
      const word = name[0];
      const after = juel.slice(i + word.length).trimStart();
      if (after.startsWith('(')) return { ok: false, reason: `Methodenaufruf „${word}(…)“` };
      const operator = Object.hasOwn(JUEL_WORD_OPERATORS, word) ? JUEL_WORD_OPERATORS[word] : undefined;
      const firstPart = word.split('.')[0] ?? word;
      if (operator !== undefined) {
        out.push(operator);
      } else if (JUEL_REFUSED_WORDS.has(word)) {
        return { ok: false, reason: `Operator „${word}“` };
      } else if (FEEL_RESERVED_WORDS.has(firstPart)) {
        return { ok: false, reason: `„${firstPart}“ ist in FEEL ein Schlüsselwort` };
      } else {
        out.push(word);
      }
      i += word.length;
      continue;
    }
    const previous = out.at(-1);
    const negativeAllowed = previous === undefined || OPERAND_EXPECTED_AFTER.has(previous);
    const number = (negativeAllowed ? /^-?\d+(\.\d+)?(?![A-Za-z_.])/ : /^\d+(\.\d+)?(?![A-Za-z_.])/).exec(rest);
    if (number) {
      out.push(number[0]);
      i += number[0].length;
      continue;
    }
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const end = rest.indexOf(quote, 1);
      if (end < 0) return { ok: false, reason: 'nicht abgeschlossene Zeichenkette' };
      const content = rest.slice(1, end);
      if (content.includes('\\') || content.includes('"')) {
        return { ok: false, reason: 'Zeichenkette mit Escape-Zeichen oder Anführungszeichen' };
      }
      out.push(`"${content}"`);
      i += end + 1;
      continue;
    }
    const symbol = JUEL_SYMBOLS.find(([juelSymbol]) => rest.startsWith(juelSymbol));
    if (symbol) {
      out.push(symbol[1]);
      i += symbol[0].length;
      continue;
    }
    return { ok: false, reason: `Zeichen „${rest[0]}“` };
  }
  const feel = out.reduce(
    (text, token, index) =>
      index === 0 || out[index - 1] === '(' || token === ')' ? text + token : `${text} ${token}`,
    '',
  );
  if (!isValidFeel(feel)) return { ok: false, reason: 'kein gültiger Ausdruck' };
  return { ok: true, feel };
}

const JUEL_WRAPPED = /^[$#]\{([\s\S]*)\}$/;
const FEEL_LANGUAGES = new Set([
  'feel',
  'http://www.omg.org/spec/feel/20140401',
  'https://www.omg.org/spec/dmn/20191111/feel/',
]);
const JUEL_LANGUAGES = new Set(['juel', 'el', 'uel']);

/**
 * A sequence-flow condition as FEEL: `=expr` (Camunda 8, our export) is FEEL already; `${expr}` / `#{expr}`
 * (Camunda 7 JUEL) is converted when it maps one-to-one; script languages are refused.
 */
export function conditionToFeel(body: string | undefined, language?: string): FeelConversion {
  const text = body?.trim() ?? '';
  if (text === '') return { ok: false, reason: 'leere Bedingung' };
  const lang = language?.trim().toLowerCase();
  if (lang && !FEEL_LANGUAGES.has(lang) && !JUEL_LANGUAGES.has(lang)) {
    return { ok: false, reason: `Skriptsprache „${language}“ wird nicht unterstützt` };
  }
  if (text.startsWith('=') || (lang !== undefined && FEEL_LANGUAGES.has(lang))) {
    const feel = text.replace(/^=/, '').trim();
    return isValidFeel(feel) ? { ok: true, feel } : { ok: false, reason: `„${feel}“ ist kein gültiger FEEL-Ausdruck` };
  }
  const juel = JUEL_WRAPPED.exec(text);
  if (juel) {
    const converted = juelToFeel(juel[1] ?? '');
    return converted.ok
      ? converted
      : { ok: false, reason: `„${text}“ lässt sich nicht eindeutig nach FEEL übertragen (${converted.reason})` };
  }
  return { ok: false, reason: `„${text}“ ist weder FEEL (=…) noch JUEL (\${…})` };
}

/**
 * A mapping value (input/output parameter) as FEEL: `=expr` FEEL, `${expr}` JUEL converted as for conditions,
 * anything else a constant text, which becomes a FEEL string literal.
 */
export function mappingToFeel(value: string): FeelConversion {
  const text = value.trim();
  if (text.startsWith('=') || JUEL_WRAPPED.test(text)) return conditionToFeel(text);
  if (text.includes('${') || text.includes('#{')) return { ok: false, reason: `„${text}“ mischt Text und Ausdruck` };
  return { ok: true, feel: JSON.stringify(value) };
}
