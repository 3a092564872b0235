import { describe, expect, it } from '@jest/globals';
import { PlaceholderChartRenderer } from '../../../../src/adapters/charts/placeholder-chart-renderer.js';
import { buildDigest, type BuildDigestInput } from '../../../../src/core/digests/digest-builder.js';
import { UnavailableError } from '../../../../src/core/errors.js';
import type { ImageBlock, OutboundMessage, TextBlock } from '../../../../src/core/messages/outbound.js';
import type { ChartRenderer } from '../../../../src/core/ports/chart-renderer.js';
import { computeIndicators } from '../../../../src/core/surveys/analysis/indicators.js';
import { rankIrritants } from '../../../../src/core/surveys/analysis/irritants-ranking.js';
import { DIGEST_TIME, digestData } from './digest-fixture.js';
import { recordingLogger, ScriptedModel, type LogLine } from './test-doubles.js';

function input(overrides: Partial<BuildDigestInput> = {}): BuildDigestInput {
  const data = digestData();
  const from = new Date(DIGEST_TIME.getTime() - 7 * 86_400_000);
  const inPeriod = data.checkins.filter((s) => s.teamId === 'scolarite' && s.submittedAt >= from);
  return {
    locale: 'fr',
    team: { id: 'scolarite', name: 'Scolarité' },
    period: { from, to: DIGEST_TIME, timezone: 'Europe/Paris' },
    minGroupSize: 5,
    participation: data.participation,
    indicators: computeIndicators(data.indicatorQuestions, data.checkins, { timezone: 'Europe/Paris' }),
    indicatorQuestions: data.indicatorQuestions,
    irritants: rankIrritants(data.irritants),
    comments: {
      texts: inPeriod.flatMap((s) => s.answers.filter((a) => a.questionId === 'commentaire').map((a) => a.value as string)),
      respondents: inPeriod.length,
    },
    charts: new PlaceholderChartRenderer(),
    ...overrides,
  };
}

const text = (m: OutboundMessage): string => m.blocks.filter((b): b is TextBlock => b.type === 'text').map((b) => b.markdown).join('\n\n');
const images = (m: OutboundMessage): ImageBlock[] => m.blocks.filter((b): b is ImageBlock => b.type === 'image');

describe('buildDigest', () => {
  it('writes a French digest: heading, summary, participation, indicators with charts, irritants, comments, AI footer', async () => {
    const charts = new PlaceholderChartRenderer();
    const digest = await buildDigest(input({ charts }));
    const body = text(digest);
    expect(digest.purpose).toBe('proactive');
    expect(body).toContain('**Synthèse de l’expérimentation — Scolarité**');
    expect(body).toContain('_Période du 5 avril 2027 au 12 avril 2027_');
    expect(body).toContain('- Point de la semaine : 8 réponses sur 8 personnes invitées (100\u00a0%)');
    expect(body).toContain('- Minutes gagnées : 52\u00a0min en moyenne la semaine du 05/04 (8 réponses) ; +36,8\u00a0min entre la référence et le suivi');
    expect(body).toContain('_Les semaines comptant moins de 5 réponses ne sont pas affichées, pour préserver l’anonymat._');
    expect(body).toMatch(/1\. Les emails d’étudiants sur les inscriptions : toujours les mêmes réponses — 4 signalements, environ 60 h par mois, impact moyen 3\/5/);
    expect(body).toContain('> Les relances de conventions sont plus rapides');
    expect(body).not.toMatch(/Lefèvre|sandrine/i);
    // Summary: extractive without a model, and the footer says the digest is AI-made.
    expect(body).toContain('**En bref**\n8 réponses pour 8 personnes invitées (100\u00a0%). Minutes gagnées : 52\u00a0min');
    expect(digest.footer).toEqual({ aiGenerated: true, text: expect.stringContaining('sans rédaction libre') });
    // Two charts, as PNG bytes with their text alternatives; hidden week drawn as a gap.
    expect(images(digest)).toHaveLength(2);
    expect(images(digest)[0]).toMatchObject({ source: { kind: 'bytes', mimeType: 'image/png' }, title: 'Minutes gagnées — Scolarité' });
    expect(images(digest)[0]!.alt).toContain('22/03 : masqué');
    expect(charts.rendered[0]!.series.map((s) => s.name)).toEqual(['Scolarité', 'Toutes les équipes']);
    expect(charts.rendered[0]!.series[0]!.points.find((p) => p.x === '22/03')!.y).toBeNull();
    expect(charts.rendered[1]!.yDomain).toEqual([1, 5]);
  });

  it('is available in English', async () => {
    const digest = await buildDigest(input({ locale: 'en' }));
    const body = text(digest);
    expect(body).toContain('**Experimentation digest — Scolarité**');
    expect(body).toContain('- Weekly check-in: 8 answers from 8 people invited (100%)');
    expect(body).toContain('Minutes saved: 52\u00a0min on average in the week of 05/04 (8 answers); +36.8\u00a0min from baseline to follow-up');
    expect(images(digest)[0]!.alt).toMatch(/^Line chart “Minutes saved — Scolarité”/);
  });

  it('uses the model for the summary, with facts only, and names it in the footer', async () => {
    const model = new ScriptedModel(() => 'La participation reste **complète** et le temps gagné progresse nettement depuis la phase de référence.');
    const digest = await buildDigest(input({ model }));
    expect(text(digest)).toContain('**En bref**\nLa participation reste complète et le temps gagné progresse');
    expect(digest.footer).toEqual({ aiGenerated: true, text: expect.stringContaining('rédigée par un modèle d’IA (modele-test)') });
    const [system, user] = model.prompts[0]!;
    expect(system!.content).toContain('n’invente aucun chiffre');
    expect(user!.content).toContain('- Minutes gagnées : 52\u00a0min');
    expect(user!.content).not.toContain('relances de conventions sont plus rapides'); // comments are not sent
  });

  it('falls back to the extractive summary when the model fails or says nothing, still marked AI-generated', async () => {
    const lines: LogLine[] = [];
    for (const model of [new ScriptedModel(() => new UnavailableError('llm.timeout', 'timeout')), new ScriptedModel(() => '  ')]) {
      const digest = await buildDigest(input({ model, logger: recordingLogger(lines) }));
      expect(text(digest)).toContain('**En bref**\n8 réponses pour 8 personnes invitées');
      expect(digest.footer!.aiGenerated).toBe(true);
      expect(digest.footer!.text).toContain('sans rédaction libre');
    }
    expect(lines.some((l) => l.level === 'warn' && l.fields.code === 'llm.timeout')).toBe(true);
  });

  it('leaves a chart out, not the digest, when rendering fails', async () => {
    const broken: ChartRenderer = { renderPng: async () => Promise.reject(new Error('no font')) };
    const digest = await buildDigest(input({ charts: broken }));
    expect(images(digest)).toHaveLength(0);
    expect(text(digest)).toContain('Minutes gagnées : 52');
  });

  it('respects k: no irritants list under k reports, no comments under k answers', async () => {
    const data = digestData();
    const digest = await buildDigest(
      input({ irritants: rankIrritants(data.irritants.slice(0, 4)), comments: { texts: ['Un commentaire assez long pour être cité.'], respondents: 4 } }),
    );
    const body = text(digest);
    expect(body).toContain('Moins de 5 irritants signalés : le classement s’affichera à partir de 5 réponses.');
    expect(body).toContain('Commentaires non affichés : moins de 5 réponses sur la période.');
    expect(body).not.toContain('Un commentaire assez long');
  });

  it('says when there is nothing yet', async () => {
    const digest = await buildDigest(input({ participation: [], indicators: null, irritants: null, comments: { texts: [], respondents: 0 } }));
    const body = text(digest);
    expect(body).toContain('**En bref**\nPas encore assez de réponses pour dégager une tendance.');
    expect(body).toContain('Aucune campagne en cours sur la période.');
    expect(body).toContain('Pas encore de point hebdomadaire.');
    expect(body).toContain('Aucun irritant signalé pour l’instant.');
    expect(body).toContain('Aucun commentaire sur la période.');
    expect(images(digest)).toHaveLength(0);
  });

  it('reports a team whose weeks are all hidden without a chart', async () => {
    const data = digestData();
    const small = data.checkins.filter((s) => s.teamId !== 'scolarite' || Number(s.submissionId.split('-').pop()) < 4);
    const digest = await buildDigest(input({ indicators: computeIndicators(data.indicatorQuestions, small) }));
    expect(text(digest)).toContain('- Minutes gagnées : pas encore assez de réponses (moins de 5 par semaine)');
    expect(images(digest)).toHaveLength(0);
  });
});
