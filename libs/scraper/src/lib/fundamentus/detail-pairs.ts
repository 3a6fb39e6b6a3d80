import { Parser } from 'htmlparser2';
import { LayoutChangedError } from '../errors';
import { cleanText } from '../parse/text';

export interface LabelPair {
  label: string;
  value: string;
}

/** An open element: its tag name and whether it sits inside a `table.w728` (the data tables). */
interface Frame {
  name: string;
  inTable: boolean;
}

/** Text being gathered for one cell: the whole cell, and the cell's first direct `span.txt` child. */
interface CellText {
  depth: number;
  all: string;
  txt: string | null;
  txtOpen: boolean;
  txtDone: boolean;
}

/** A data cell being read, with the label it belongs to. */
interface DataCell {
  depth: number;
  label: string;
  all: string;
}

const W728 = /(^|\s)w728(\s|$)/;
const TXT = /\btxt\b/;

function firstClass(attribs: Record<string, string>): string {
  const cls = attribs['class'];
  if (!cls) return '';
  const trimmed = cls.trimStart();
  const space = trimmed.search(/\s/);
  return space < 0 ? trimmed : trimmed.slice(0, space);
}

/**
 * Every label/value pair of a detail page, in document order: each `td.label` inside a
 * `table.w728` paired with the element right after it, which must be a `td.data`. The label is
 * the text of the cell's `span.txt` (the "?" tooltip before it is not part of it), the value the
 * data cell's whole text.
 *
 * Read from htmlparser2's event stream instead of a cheerio DOM: the same tokenizer and the same
 * implied-close rules that build cheerio/slim's tree, without building it. It halves the parse
 * cost of a page, which the daily run pays on its main thread for every ticker.
 */
export function readDetailPairs(html: string, ticker?: string): LabelPair[] {
  const pairs: LabelPair[] = [];
  const stack: Frame[] = [];
  let label: CellText | null = null; // a label cell being read
  let data: DataCell | null = null; // the data cell of `pending` being read
  let pending: { label: string; depth: number } | null = null; // a label waiting for its next sibling

  const noDataCell = (text: string): void => {
    if (text === '') return;
    throw new LayoutChangedError(
      `detalhes.php ${ticker ?? ''}`.trim(),
      [],
      `label "${text}" is not followed by a data cell`,
    );
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const depth = stack.length;
        const inTable = (stack[depth - 1]?.inTable ?? false) || (name === 'table' && W728.test(attribs['class'] ?? ''));
        if (pending && depth === pending.depth) {
          // The label cell's next element sibling: its data cell, or a changed layout.
          const waiting = pending;
          pending = null;
          if (firstClass(attribs) !== 'data') noDataCell(waiting.label);
          else if (waiting.label !== '') data = { depth, label: waiting.label, all: '' };
        } else if (label && depth === label.depth + 1 && !label.txtDone && name === 'span') {
          if (TXT.test(attribs['class'] ?? '')) {
            label.txt = '';
            label.txtOpen = true;
          }
        }
        if (name === 'td' && inTable && !label && !data && firstClass(attribs) === 'label') {
          label = { depth, all: '', txt: null, txtOpen: false, txtDone: false };
        }
        stack.push({ name, inTable });
      },
      ontext(text) {
        if (label) {
          label.all += text;
          if (label.txtOpen) label.txt += text;
        }
        if (data) data.all += text;
      },
      onclosetag() {
        stack.pop();
        const depth = stack.length;
        if (label) {
          if (label.txtOpen && depth === label.depth + 1) {
            label.txtOpen = false;
            label.txtDone = true;
          }
          if (depth === label.depth) {
            pending = { label: cleanText(label.txt ?? label.all), depth };
            label = null;
          }
        } else if (data && depth === data.depth) {
          pairs.push({ label: data.label, value: cleanText(data.all) });
          data = null;
        } else if (pending && depth < pending.depth) {
          const waiting = pending;
          pending = null;
          noDataCell(waiting.label);
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  if (pending) noDataCell((pending as { label: string }).label);
  return pairs;
}
