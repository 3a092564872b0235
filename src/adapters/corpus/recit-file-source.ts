/**
 * Reads récit files from a directory: every `*.md` file (recursively) except
 * README files and names starting with "_" or ".", split into YAML front
 * matter and Markdown body. Unreadable files or invalid YAML become a
 * `parseError` for that file only.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { RecitFile } from '../../core/corpus/corpus-ingestion.js';

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

async function listMarkdown(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await listMarkdown(path)));
    else if (entry.isFile() && entry.name.endsWith('.md') && !/^readme\.md$/i.test(entry.name)) files.push(path);
  }
  return files;
}

/** Splits one file's content; `path` is only used in messages. */
export function parseRecitFile(path: string, content: string): RecitFile {
  const match = FRONT_MATTER.exec(content);
  if (!match) return { path, parseError: 'no front matter: the file must start with a YAML block between two "---" lines' };
  try {
    // YAML 1.2 core schema, but dates stay strings unless written as such; validation accepts both.
    const frontMatter: unknown = parseYaml(match[1]!, { prettyErrors: true });
    return { path, frontMatter, body: content.slice(match[0].length) };
  } catch (error) {
    // The front matter starts on the file's second line: shift YAML's line numbers to the file's.
    const line = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line + 1}` : '';
    const reason = (error as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { path, parseError: `invalid YAML front matter${line}: ${reason}` };
  }
}

export async function readRecitFiles(directory: string): Promise<RecitFile[]> {
  const paths = await listMarkdown(directory);
  return Promise.all(
    paths.map(async (path) => {
      const shown = relative(process.cwd(), path) || path;
      try {
        // NFC: files saved on macOS may hold decomposed accents ("e" + combining acute).
        return parseRecitFile(shown, (await readFile(path, 'utf8')).normalize('NFC'));
      } catch (error) {
        return { path: shown, parseError: `cannot read the file: ${(error as Error).message}` };
      }
    }),
  );
}
