/**
 * `{name}` templates of the texts (report messages and fixes, diagnostic messages and hints) filled in, and what
 * stands in for a message when the texts are not attached (the lean browser entry): its id and values.
 * A `{~name}` placeholder is worded: the value of `name` is the id of a phrase of the texts (report.yaml
 * `phrases`), whose template is filled with the same values — how a step gives wording as a value. Its list form
 * `{~name|SEP}` words a value of several phrase ids (separated by spaces), each filled with the same values, and joins
 * them with SEP (`{~notes|; }`): a step gives a variable-length list of notes as ids.
 */

/** Values for a template's `{name}` placeholders. */
export type MessageValues = Readonly<Record<string, string | number | boolean>>;

const PLACEHOLDER = /^~?[A-Za-z_][A-Za-z0-9_]*$/;
/** `{~name|SEP}`: a list of phrase ids joined by SEP. */
const LIST_PLACEHOLDER = /^~[A-Za-z_][A-Za-z0-9_]*\|/;

/** Phrase templates by id (the texts' `phrases`). */
export type Phrases = Readonly<Record<string, string>>;

/**
 * Fill `{name}` placeholders (and `{~name}` with the phrase `values[name]` names, from `phrases`); a placeholder
 * without a value or a phrase is a bug in the caller, so it throws.
 */
export function fill(template: string, values: MessageValues, id: string, kind = 'outcome', phrases?: Phrases): string {
  // A scan rather than replace() with a callback: one of these runs per report entry (~17 per service).
  let out = '';
  let from = 0;
  for (let open = template.indexOf('{'); open >= 0; open = template.indexOf('{', open + 1)) {
    const close = template.indexOf('}', open + 1);
    if (close < 0) break;
    const inner = template.slice(open + 1, close);
    const list = LIST_PLACEHOLDER.test(inner);
    const name = list ? inner.slice(0, inner.indexOf('|')) : inner;
    if (!list && !PLACEHOLDER.test(name)) continue;
    const worded = name[0] === '~';
    const v = values[worded ? name.slice(1) : name];
    if (v === undefined) throw new Error(`${kind} ${id}: no value for {${name}}`);
    let text = String(v);
    if (worded) {
      const word = (phraseId: string): string => {
        const phrase = phrases?.[phraseId];
        if (phrase === undefined) throw new Error(`${kind} ${id}: no phrase ${phraseId} for {${name}}`);
        return fill(phrase, values, id, kind, phrases);
      };
      text = list
        ? text
            .split(' ')
            .map(word)
            .join(inner.slice(name.length + 1))
        : word(text);
    }
    out += template.slice(from, open) + text;
    from = close + 1;
    open = close;
  }
  return from === 0 ? template : out + template.slice(from);
}

/**
 * `template` filled in, or — when there is none: no texts, or texts of another version that lack the id — the id
 * and values (fallbackMessage). A page loads the texts apart from the converter, so they may not match it.
 */
export function word(
  template: string | undefined,
  values: MessageValues,
  id: string,
  kind: string,
  phrases?: Phrases,
): string {
  return template === undefined ? fallbackMessage(id, values) : fill(template, values, id, kind, phrases);
}

/**
 * A message without the texts: its id, then its values in the order the caller gave them (`ports.published-http
 * (port=80, service=web)`); deterministic, so the lean entry's output is stable too.
 */
export function fallbackMessage(id: string, values: MessageValues): string {
  let shown = '';
  for (const k in values) shown += `${shown ? ', ' : ''}${k}=${String(values[k])}`;
  return shown ? `${id} (${shown})` : id;
}
