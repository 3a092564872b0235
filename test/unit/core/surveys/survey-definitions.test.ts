/**
 * Survey files: schema and semantic errors name the file and the JSON path,
 * a bad file does not stop the good ones, the shipped templates are valid,
 * and the content hash decides versions.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSurveys, parseSurveyText } from '../../../../src/adapters/surveys/survey-file-loader.js';
import { contentHash, localize } from '../../../../src/core/surveys/survey-definition.js';

const GOOD = `id: ok
title: { fr: "Bonjour", en: "Hello" }
anonymity: anonymous
questions:
  - { id: choix, type: single, label: Choix, options: [{ value: a, label: A }, { value: b, label: B }] }
  - { id: note, type: scale, label: Note, min: 1, max: 5, showIf: { question: choix, equals: a } }
`;

async function errorsOf(text: string, file = 'surveys/ok.yaml'): Promise<string[]> {
  return (await parseSurveyText(file, text)).errors.map((e) => `${e.file} ${e.path}: ${e.message}`);
}

describe('survey files', () => {
  test('a valid file gives a normalised definition (anonymity k 5, required by default)', async () => {
    const { definition, errors } = await parseSurveyText('surveys/ok.yaml', GOOD);
    expect(errors).toEqual([]);
    expect(definition!.anonymity).toEqual({ mode: 'anonymous', k: 5 });
    expect(definition!.version).toBe(1);
    expect(definition!.questions.every((q) => q.required)).toBe(true);
    expect(localize(definition!.title, 'en')).toBe('Hello');
    expect(localize(definition!.questions[0]!.label, 'en')).toBe('Choix');
  });

  test('schema errors name the file and the path', async () => {
    expect(await errorsOf(GOOD.replace('type: scale', 'type: stars'))).toEqual([
      'surveys/ok.yaml /questions/1/type: must be equal to one of the allowed values (single, multi, scale, number, text)',
    ]);
    expect(await errorsOf(GOOD.replace('questions:', 'colour: blue\nquestions:'))).toEqual(['surveys/ok.yaml /: must NOT have additional properties "colour"']);
    expect(await errorsOf(GOOD.replace('id: ok', 'id: "Not OK"'))).toEqual(['surveys/ok.yaml /id: must match pattern "^[a-z0-9][a-z0-9-]{0,62}$"']);
  });

  test('semantic errors: duplicate ids, missing options, bounds, conditions on later or unknown questions and options', async () => {
    const text = `id: ok
title: T
questions:
  - { id: a, type: single, label: A, options: [{ value: x, label: X }] }
  - { id: a, type: text, label: B }
  - { id: c, type: scale, label: C, min: 5, max: 1 }
  - { id: d, type: text, label: D, showIf: { question: e, equals: x } }
  - { id: e, type: number, label: E, showIf: { question: a, anyOf: [x, y] } }
  - { id: f, type: text, label: F, options: [{ value: x, label: X }] }
`;
    const issues = await errorsOf(text);
    expect(issues).toContain('surveys/ok.yaml /questions/0/options: a single question needs at least two options');
    expect(issues).toContain('surveys/ok.yaml /questions/1/id: duplicate question id "a"');
    expect(issues).toContain('surveys/ok.yaml /questions/2/min: min (5) must be less than max (1)');
    expect(issues).toContain('surveys/ok.yaml /questions/3/showIf/question: showIf refers to "e", which is not an earlier question');
    expect(issues).toContain('surveys/ok.yaml /questions/4/showIf/anyOf/1: "y" is not an option of "a"');
    expect(issues).toContain('surveys/ok.yaml /questions/5/options: options only apply to single and multi questions');
  });

  test('YAML syntax errors give the line; the id must match the file name', async () => {
    expect((await errorsOf('id: ok\ntitle: [unclosed\n'))[0]).toMatch(/^surveys\/ok\.yaml line \d+: /);
    expect(await errorsOf(GOOD, 'surveys/other.yaml')).toEqual(['surveys/other.yaml /id: id "ok" must match the file name "other"']);
  });

  test('a directory with a bad file still loads the good ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relais-surveys-'));
    try {
      await writeFile(join(dir, 'ok.yaml'), GOOD);
      await writeFile(join(dir, 'broken.yaml'), 'id: broken\ntitle: T\nquestions: []\n');
      await writeFile(join(dir, 'notes.txt'), 'ignored');
      const report = await loadSurveys(dir);
      expect(report.surveys.map((s) => s.definition.id)).toEqual(['ok']);
      expect(report.errors).toEqual([{ file: join(dir, 'broken.yaml'), path: '/questions', message: 'must NOT have fewer than 1 items' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('the five shipped templates are valid, in French with English labels', async () => {
    const report = await loadSurveys();
    expect(report.errors).toEqual([]);
    expect(report.surveys.map((s) => s.definition.id)).toEqual(['auto-diagnostic-ia-act', 'checkin-hebdo', 'evaluation-finale', 'irritants', 'volontariat']);
    for (const { definition } of report.surveys) {
      for (const q of definition.questions) {
        expect(typeof q.label === 'object' && q.label.en).toBeTruthy();
        for (const o of q.options ?? []) expect(typeof o.label === 'object' && o.label.en).toBeTruthy();
      }
    }
  });

  test('the content hash ignores the version and changes with the content', async () => {
    const { definition } = await parseSurveyText('surveys/ok.yaml', GOOD);
    expect(contentHash({ ...definition!, version: 9 })).toBe(contentHash(definition!));
    expect(contentHash({ ...definition!, title: 'Autre' })).not.toBe(contentHash(definition!));
  });
});
