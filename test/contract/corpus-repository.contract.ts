/**
 * One contract for every implementation of the `CorpusRepository` port
 * (in-memory twin, PGlite, PostgreSQL). Each runner opens ONE repository for
 * the whole file (opening PGlite costs seconds), so every test uses récit ids
 * of its own and looks only at its own rows: lists, queues and searches are
 * filtered to those ids, and statistics are compared before and after.
 *
 * Ranking assertions compare clearly different cases only: the in-memory
 * twin is a simplified BM25 with a crude stemmer, PostgreSQL uses
 * french_stem and ts_rank, so only relative order is shared.
 */
import { randomUUID } from 'node:crypto';
import { countWords } from '../../src/core/corpus/chunker.js';
import type { AuthorRole, ConsentScope } from '../../src/core/corpus/recit.js';
import type {
  ChunkRecord,
  CorpusRepository,
  CorpusStatistics,
  LexicalHit,
  RetrievalFilters,
  StoredRecit,
} from '../../src/core/ports/corpus-repository.js';

export interface CorpusRepositoryFixture {
  corpus: CorpusRepository;
  cleanup(): Promise<void>;
}

interface RecitSpec {
  slug: string;
  title: string;
  authorRole: AuthorRole;
  sector: string;
  year: number;
  themes: string[];
  language: string;
  scope: ConsentScope[];
  passages: string[];
}

/** Five short fictional récits, different in sector, role, themes and language. */
const CORPUS: Record<'visite' | 'veille' | 'ehpad' | 'asile' | 'burnout', RecitSpec> = {
  visite: {
    slug: 'premiere-visite',
    title: 'Ma première visite en AEMO',
    authorRole: 'ancien-etudiant',
    sector: "protection de l'enfance",
    year: 2019,
    themes: ['premier stage', 'visite à domicile', 'famille'],
    language: 'fr',
    scope: ['rag', 'citation'],
    passages: [
      'Ma tutrice m’avait prévenue dans la voiture : on ne prend pas de notes devant la famille. J’avais préparé mille questions et je n’en ai posé aucune.',
      'Le garçon savait réparer les vélos. Aucun rapport n’en parlait, et c’est devenu un point d’appui pour toute la suite de la mesure.',
      'Au retour, ma tutrice m’a demandé ce que j’avais vu. J’ai parlé de la télévision et de la vaisselle, pas du garçon.',
    ],
  },
  veille: {
    slug: 'nuit-de-veille',
    title: 'Seule au bureau, à trois heures du matin',
    authorRole: 'travailleur-social',
    sector: "hébergement d'urgence",
    year: 2021,
    themes: ['solitude', 'violence', 'travail en équipe'],
    language: 'fr',
    scope: ['rag'],
    passages: [
      'Un résident est rentré ivre et a frappé la porte du bureau. J’étais seule de veille et le cadre d’astreinte ne répondait pas.',
      'Le lendemain, en réunion d’équipe, personne ne m’a demandé comment j’allais. La solitude du travail de nuit n’était pas un sujet.',
    ],
  },
  ehpad: {
    slug: 'deces-confinement',
    title: 'Dire au revoir pendant le confinement',
    authorRole: 'formateur',
    sector: 'gérontologie',
    year: 2020,
    themes: ['deuil', 'charge émotionnelle'],
    language: 'fr',
    scope: ['rag', 'citation'],
    passages: [
      'Pendant le confinement, une résidente de l’EHPAD est morte sans que sa fille puisse venir. Les soignantes ont pleuré dans le vestiaire, en cachette.',
      'J’ai proposé aux éducatrices et aux aides-soignantes un temps de parole sur le deuil. Plusieurs ont dit qu’on ne leur avait jamais appris cela.',
    ],
  },
  asile: {
    slug: 'sans-interprete',
    title: 'Sans interprète au CADA',
    authorRole: 'travailleur-social',
    sector: "demande d'asile",
    year: 2022,
    themes: ['interculturalité', 'famille', "place de l'usager"],
    language: 'fr',
    scope: ['rag', 'citation'],
    passages: [
      'La famille ne parlait pas français et l’interprète avait annulé. Le fils de douze ans traduisait pour ses parents, y compris les questions sur leur santé.',
      'Nous avons reporté l’entretien. Une collègue m’a reproché d’avoir fait perdre une semaine à la famille ; je pense encore que c’était juste.',
    ],
  },
  burnout: {
    slug: 'running-on-empty',
    title: 'Running on empty',
    authorRole: 'autre',
    sector: 'handicap',
    year: 2018,
    themes: ['épuisement', 'supervision'],
    language: 'en',
    scope: ['rag', 'citation'],
    passages: [
      'After two years in the residential home I was exhausted. My manager noticed it before I did and suggested I take some time off.',
      'Supervision saved me: every fortnight someone asked how I was, not only how the people we support were.',
    ],
  },
};

const T0 = new Date('2026-01-15T09:30:00.000Z');
const T1 = new Date('2026-02-20T14:05:07.123Z');

/** A prefix of lowercase hex, unique to one test, so tests sharing a database never see each other's rows. */
const uid = (): string => randomUUID().replace(/-/g, '').slice(0, 10);

function stored(id: string, spec: RecitSpec, overrides: Partial<StoredRecit> = {}): StoredRecit {
  return {
    id,
    title: spec.title,
    authorRole: spec.authorRole,
    sector: spec.sector,
    year: spec.year,
    themes: [...spec.themes],
    language: spec.language,
    consent: { status: 'granted', date: '2024-03-12', scope: [...spec.scope], reference: `CONSENT-${id}` },
    anonymized: true,
    fictional: true,
    sourcePath: `corpus/${id}.md`,
    contentHash: `content-${id}`,
    metadataHash: `meta-${id}`,
    scrubReport: [],
    chunkCount: 0,
    ingestedAt: T0,
    updatedAt: T0,
    withdrawnAt: null,
    ...overrides,
  };
}

function chunkOf(recit: StoredRecit, ordinal: number, text: string, overrides: Partial<ChunkRecord> = {}): ChunkRecord {
  return {
    id: `${recit.id}#${ordinal}`,
    recitId: recit.id,
    ordinal,
    heading: recit.title,
    text,
    contentHash: `chunk-${recit.id}-${ordinal}-${text.length}`,
    tokenCount: countWords(`${recit.title} ${text}`),
    sector: recit.sector,
    authorRole: recit.authorRole,
    year: recit.year,
    themes: [...recit.themes],
    language: recit.language,
    quotable: recit.consent.status === 'granted' && recit.consent.scope.includes('citation'),
    embeddingModel: null,
    ...overrides,
  };
}

const chunksOf = (recit: StoredRecit, passages: string[]): ChunkRecord[] => passages.map((text, i) => chunkOf(recit, i, text));

export function corpusRepositoryContract(name: string, open: () => Promise<CorpusRepositoryFixture>): void {
  describe(`corpus repository contract: ${name}`, () => {
    let fixture: CorpusRepositoryFixture;
    let corpus: CorpusRepository;

    beforeAll(async () => {
      fixture = await open();
      corpus = fixture.corpus;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    /** Saves one récit of the sample corpus with its passages, under a fresh id. */
    async function saveSample(key: keyof typeof CORPUS, prefix = uid(), overrides: Partial<StoredRecit> = {}) {
      const spec = CORPUS[key];
      const recit = stored(`${prefix}-${spec.slug}`, spec, overrides);
      const chunks = chunksOf(recit, spec.passages);
      await corpus.saveRecit(recit, chunks);
      return { recit: { ...recit, chunkCount: chunks.length }, chunks };
    }

    describe('récits', () => {
      it('returns a saved récit with every field, and null for an unknown id', async () => {
        const p = uid();
        const recit = stored(`${p}-aemo`, CORPUS.visite, {
          themes: ['premier stage', "place de l'usager", 'interculturalité'],
          consent: { status: 'granted', date: '2023-11-02', scope: ['rag', 'citation'], reference: 'Registre 2023 n° 17' },
          anonymized: true,
          fictional: false,
          scrubReport: [
            { kind: 'phone', masked: '06 ** ** ** 78', count: 2 },
            { kind: 'name', masked: 'K*** B***', count: 1 },
            { kind: 'email', masked: 'm***@e***.fr', count: 1 },
          ],
          chunkCount: 0,
          ingestedAt: T0,
          updatedAt: T1,
        });
        await corpus.saveRecit(recit);
        expect(await corpus.getRecit(recit.id)).toEqual(recit);
        expect(await corpus.getRecit(`${p}-inconnu`)).toBeNull();
      });

      it('keeps a null source path, a withdrawal date and an empty consent scope', async () => {
        const recit = stored(`${uid()}-retire`, CORPUS.ehpad, {
          sourcePath: null,
          consent: { status: 'withdrawn', date: '2025-06-30', scope: [], reference: 'CONSENT-2021-004' },
          anonymized: false,
          withdrawnAt: T1,
          updatedAt: T1,
        });
        await corpus.saveRecit(recit);
        const read = await corpus.getRecit(recit.id);
        expect(read).toEqual(recit);
        expect(read!.withdrawnAt).toBeInstanceOf(Date);
        expect(read!.ingestedAt.getTime()).toBe(T0.getTime());
      });

      it('lists récits ordered by id', async () => {
        const p = uid();
        for (const [suffix, key] of [['c', 'asile'], ['a', 'visite'], ['b', 'veille']] as const) {
          await corpus.saveRecit(stored(`${p}-${suffix}`, CORPUS[key]));
        }
        const mine = (await corpus.listRecits()).filter((r) => r.id.startsWith(`${p}-`));
        expect(mine.map((r) => r.id)).toEqual([`${p}-a`, `${p}-b`, `${p}-c`]);
        expect(mine[1]).toEqual(stored(`${p}-b`, CORPUS.veille));
      });

      it('replaces the metadata of a récit saved again under the same id', async () => {
        const recit = stored(`${uid()}-maj`, CORPUS.asile);
        await corpus.saveRecit(recit);
        const changed: StoredRecit = {
          ...recit,
          title: 'Sans interprète, une seconde fois',
          themes: ['interculturalité'],
          year: 2023,
          metadataHash: 'meta-v2',
          scrubReport: [{ kind: 'address', masked: '12 r** d** L***', count: 1 }],
          updatedAt: T1,
        };
        await corpus.saveRecit(changed);
        expect(await corpus.getRecit(recit.id)).toEqual(changed);
        expect((await corpus.listRecits()).filter((r) => r.id === recit.id)).toHaveLength(1);
      });
    });

    describe('chunks', () => {
      it('stores the chunks given with a récit, every field included, and counts them', async () => {
        const recit = stored(`${uid()}-visite`, CORPUS.visite, { chunkCount: 99 });
        const chunks = chunksOf(recit, CORPUS.visite.passages);
        chunks[1] = { ...chunks[1]!, embeddingModel: 'mistral-embed' };
        await corpus.saveRecit(recit, chunks);
        expect(await corpus.getChunks(chunks.map((c) => c.id))).toEqual(chunks);
        expect((await corpus.getRecit(recit.id))!.chunkCount).toBe(3);
      });

      it('replaces all the chunks of a récit saved again with chunks', async () => {
        const { recit, chunks: first } = await saveSample('visite');
        const second = chunksOf(recit, ['Une nouvelle version du premier passage, réécrite après relecture.', 'Et un second passage, plus court.']);
        await corpus.saveRecit({ ...recit, contentHash: 'content-v2' }, second);
        expect(await corpus.getChunks(first.map((c) => c.id))).toEqual(second);
        expect(await corpus.getChunks([`${recit.id}#2`])).toEqual([]);
        expect((await corpus.getRecit(recit.id))!.chunkCount).toBe(2);
      });

      it('removes every chunk of a récit saved with [] (consent no longer covers retrieval)', async () => {
        const { recit, chunks } = await saveSample('asile');
        await corpus.saveRecit({ ...recit, consent: { ...recit.consent, scope: [] } }, []);
        expect(await corpus.getChunks(chunks.map((c) => c.id))).toEqual([]);
        const read = await corpus.getRecit(recit.id);
        expect(read!.chunkCount).toBe(0);
        expect(read!.consent.scope).toEqual([]);
        expect(await corpus.recitIdsMatching({})).not.toContain(recit.id);
      });

      it('keeps the chunks of a récit saved again without chunks, and the chunk count given', async () => {
        const { recit, chunks } = await saveSample('veille');
        await corpus.saveRecit({ ...recit, metadataHash: 'meta-v2', updatedAt: T1 });
        expect(await corpus.getChunks(chunks.map((c) => c.id))).toEqual(chunks);
        expect(await corpus.getRecit(recit.id)).toMatchObject({ chunkCount: 2, metadataHash: 'meta-v2', updatedAt: T1 });
      });

      it('returns chunks in the order asked, skipping unknown ids', async () => {
        const { recit, chunks } = await saveSample('visite');
        const got = await corpus.getChunks([`${recit.id}#2`, `${recit.id}#9`, 'inconnu#0', `${recit.id}#0`, `${recit.id}#1`]);
        expect(got).toEqual([chunks[2], chunks[0], chunks[1]]);
        expect(await corpus.getChunks([])).toEqual([]);
        expect(await corpus.getChunks(['inconnu#0'])).toEqual([]);
      });

      it('copies changed metadata onto existing chunks, keeping their text and embedding', async () => {
        const { recit, chunks } = await saveSample('visite');
        await corpus.markEmbedded([chunks[0]!.id], 'mistral-embed');
        const changed: StoredRecit = {
          ...recit,
          sector: 'Aide sociale à l’enfance',
          authorRole: 'travailleur-social',
          themes: ['posture professionnelle', 'famille'],
          year: 2020,
          consent: { ...recit.consent, scope: ['rag'] },
          metadataHash: 'meta-v2',
        };
        await corpus.saveRecit(changed);
        await corpus.refreshChunkMetadata(recit.id);
        const refreshed = await corpus.getChunks(chunks.map((c) => c.id));
        expect(refreshed).toEqual(
          chunks.map((c, i) => ({
            ...c,
            sector: 'Aide sociale à l’enfance',
            authorRole: 'travailleur-social',
            themes: ['posture professionnelle', 'famille'],
            year: 2020,
            quotable: false,
            embeddingModel: i === 0 ? 'mistral-embed' : null,
          })),
        );
        expect(await corpus.recitIdsMatching({ sectors: ['aide sociale à l’enfance'], roles: ['travailleur-social'] })).toContain(recit.id);
        expect(await corpus.recitIdsMatching({ sectors: ["protection de l'enfance"] })).not.toContain(recit.id);

        await corpus.saveRecit({ ...changed, language: 'en', consent: { ...changed.consent, scope: ['rag', 'citation'] } });
        await corpus.refreshChunkMetadata(recit.id);
        for (const chunk of await corpus.getChunks(chunks.map((c) => c.id))) expect(chunk).toMatchObject({ quotable: true, language: 'en' });
      });

      it('ignores a metadata refresh for an unknown récit', async () => {
        await expect(corpus.refreshChunkMetadata(`${uid()}-inconnu`)).resolves.toBeUndefined();
      });
    });

    describe('withdrawal', () => {
      it('marks the récit withdrawn, deletes its chunks and says how many went', async () => {
        const p = uid();
        const { recit, chunks } = await saveSample('veille', p);
        const { chunks: other } = await saveSample('ehpad', p);
        const before = await corpus.searchLexical('résident ivre astreinte', 500);
        expect(before.map((h) => h.recitId)).toContain(recit.id);

        expect(await corpus.withdraw(recit.id, T1)).toBe(2);

        expect(await corpus.getRecit(recit.id)).toEqual({
          ...recit,
          // The consent date becomes the day consent was withdrawn.
          consent: { ...recit.consent, status: 'withdrawn', date: '2026-02-20' },
          withdrawnAt: T1,
          updatedAt: T1,
          chunkCount: 0,
        });
        expect(await corpus.getChunks(chunks.map((c) => c.id))).toEqual([]);
        expect((await corpus.searchLexical('résident ivre astreinte', 500)).map((h) => h.recitId)).not.toContain(recit.id);
        expect(await corpus.recitIdsMatching({})).not.toContain(recit.id);
        expect(await corpus.getChunks(other.map((c) => c.id))).toEqual(other);
      });

      it('returns 0 for an unknown récit and for a second withdrawal', async () => {
        const { recit } = await saveSample('asile');
        expect(await corpus.withdraw(`${uid()}-inconnu`, T1)).toBe(0);
        expect(await corpus.withdraw(recit.id, T1)).toBe(2);
        const later = new Date('2026-03-15T09:00:00Z');
        expect(await corpus.withdraw(recit.id, later)).toBe(0);
        // A second withdrawal changes nothing: the record keeps the day consent was first withdrawn.
        expect(await corpus.getRecit(recit.id)).toMatchObject({ consent: { status: 'withdrawn', date: '2026-02-20' }, withdrawnAt: T1 });
      });
    });

    describe('embedding queue', () => {
      const ALL = 100_000;

      it('lists chunks not embedded with a model, by récit id then ordinal, up to the limit', async () => {
        const p = uid();
        const model = `model-${p}`;
        const { chunks: b } = await saveSample('asile', `${p}-b`);
        const { chunks: a } = await saveSample('visite', `${p}-a`);
        const queue = await corpus.chunksToEmbed(model, ALL);
        expect(queue.filter((c) => c.id.startsWith(`${p}-`))).toEqual([...a, ...b]);
        expect(await corpus.chunksToEmbed(model, 2)).toHaveLength(2);
      });

      it('takes embedded chunks out of the queue, and puts them back when the model changes', async () => {
        const p = uid();
        const modelA = `model-a-${p}`;
        const modelB = `model-b-${p}`;
        const { chunks } = await saveSample('ehpad', p);
        const ids = chunks.map((c) => c.id);
        const mine = async (model: string) => (await corpus.chunksToEmbed(model, ALL)).filter((c) => c.id.startsWith(`${p}-`)).map((c) => c.id);

        await corpus.markEmbedded([ids[0]!, `${p}-inconnu#0`], modelA);
        expect(await mine(modelA)).toEqual([ids[1]]);
        expect((await corpus.getChunks(ids)).map((c) => c.embeddingModel)).toEqual([modelA, null]);

        await corpus.markEmbedded(ids, modelA);
        expect(await mine(modelA)).toEqual([]);
        expect(await mine(modelB)).toEqual(ids);

        await corpus.markEmbedded(ids, modelB);
        expect(await mine(modelB)).toEqual([]);
        expect(await mine(modelA)).toEqual(ids);
        await corpus.markEmbedded([], modelA);
        expect(await mine(modelA)).toEqual(ids);
      });

      it('queues new chunks again when a récit is re-chunked', async () => {
        const p = uid();
        const model = `model-${p}`;
        const { recit, chunks } = await saveSample('veille', p);
        await corpus.markEmbedded(chunks.map((c) => c.id), model);
        const rechunked = chunksOf(recit, ['Le texte a changé : un seul passage désormais.']);
        await corpus.saveRecit(recit, rechunked);
        expect((await corpus.chunksToEmbed(model, ALL)).filter((c) => c.recitId === recit.id)).toEqual(rechunked);
      });
    });

    describe('searchLexical', () => {
      const prefix = uid();
      const ids = {} as Record<keyof typeof CORPUS, string>;
      const mine = (hits: LexicalHit[]) => hits.filter((h) => h.recitId.startsWith(`${prefix}-`));
      const search = async (text: string, filters?: RetrievalFilters, k = 200) => mine(await corpus.searchLexical(text, k, filters));
      const recitsOf = (hits: LexicalHit[]) => new Set(hits.map((h) => h.recitId));
      const BROAD = 'famille deuil supervision nuit équipe';

      beforeAll(async () => {
        for (const key of Object.keys(CORPUS) as (keyof typeof CORPUS)[]) ids[key] = (await saveSample(key, prefix)).recit.id;
      });

      it('finds a passage by a word in another form, without accents', async () => {
        expect((await search('educatrice')).map((h) => h.chunkId)).toEqual([`${ids.ehpad}#1`]);
        expect((await search('interprete')).map((h) => h.chunkId)).toContain(`${ids.asile}#0`);
        expect((await search('les résidents')).map((h) => h.chunkId)).toContain(`${ids.veille}#0`);
        expect((await search('FAMILLES')).map((h) => h.chunkId).sort()).toEqual([`${ids.asile}#0`, `${ids.asile}#1`, `${ids.visite}#0`].sort());
      });

      it('finds nothing for words absent from the corpus, or for function words only', async () => {
        expect(await search('astrophysique quantique')).toEqual([]);
        expect(await corpus.searchLexical('Comment est-ce que je peux faire ?', 10)).toEqual([]);
        expect(await corpus.searchLexical('', 10)).toEqual([]);
      });

      it('returns chunk ids with their récit ids and positive scores, best first, at most k', async () => {
        const hits = await search(BROAD);
        expect(recitsOf(hits)).toEqual(new Set(Object.values(ids)));
        const stored = new Map((await corpus.getChunks(hits.map((h) => h.chunkId))).map((c) => [c.id, c]));
        for (const hit of hits) {
          expect(hit.chunkId.startsWith(`${hit.recitId}#`)).toBe(true);
          expect(hit.score).toBeGreaterThan(0);
          // An implementation may load the passage with the hit; it must then be the stored one.
          if (hit.chunk !== undefined) expect(hit.chunk).toEqual(stored.get(hit.chunkId));
        }
        const all = await corpus.searchLexical(BROAD, 200);
        for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score).toBeGreaterThanOrEqual(all[i]!.score);
        expect(await corpus.searchLexical(BROAD, 3)).toHaveLength(3);
        expect(await corpus.searchLexical(BROAD, 3)).toEqual(all.slice(0, 3));
      });

      it('finds a passage by a word of the récit title only', async () => {
        const hits = await search('aemo');
        expect(hits.map((h) => h.chunkId).sort()).toEqual([`${ids.visite}#0`, `${ids.visite}#1`, `${ids.visite}#2`]);
      });

      it('ranks a passage with the word in its title above one with the word in its text', async () => {
        const p = uid();
        const titled = stored(`${p}-titre`, CORPUS.veille, { title: 'Astreinte de nuit' });
        const inText = stored(`${p}-texte`, CORPUS.veille, { title: 'Une fugue un soir' });
        await corpus.saveRecit(titled, [chunkOf(titled, 0, 'Je n’ai pas su qui appeler quand le jeune est parti en fugue vers minuit.')]);
        await corpus.saveRecit(inText, [chunkOf(inText, 0, 'Je n’ai pas su qui appeler d’astreinte quand le jeune est parti vers minuit.')]);
        const order = (await corpus.searchLexical('astreinte', 200)).map((h) => h.recitId).filter((id) => id.startsWith(`${p}-`));
        expect(order).toEqual([titled.id, inText.id]);
      });

      it('ranks a passage with a rare query word above passages with only a common one', async () => {
        const p = uid();
        const common = [
          'Ce matin, l’équipe s’est réunie et j’ai écouté sans rien dire pendant toute la réunion.',
          'Le soir, l’équipe a repris la situation du jeune avec le psychologue du service.',
          'Pendant mon stage, l’équipe m’a laissé animer seule un atelier cuisine le mercredi.',
          'Après la fugue, l’équipe a décidé de rappeler la mère avant de prévenir le juge.',
          'En fin de semaine, l’équipe a préparé ensemble le planning des sorties de l’été.',
        ];
        const rare = 'Le jeune m’a montré son tatouage et m’a raconté son histoire, sans que je l’interrompe.';
        const recits = [...common, rare].map((_, i) => stored(`${p}-r${i}`, CORPUS.visite, { title: 'Journal de stage' }));
        for (const [i, text] of [...common, rare].entries()) await corpus.saveRecit(recits[i]!, [chunkOf(recits[i]!, 0, text)]);
        const hits = (await corpus.searchLexical('équipe tatouage', 200)).filter((h) => h.recitId.startsWith(`${p}-`));
        expect(hits).toHaveLength(6);
        expect(hits[0]!.recitId).toBe(`${p}-r5`);
        expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      });

      describe('filters', () => {
        it('filters by sector, whatever its case', async () => {
          expect(recitsOf(await search(BROAD, { sectors: ["PROTECTION DE L'ENFANCE"] }))).toEqual(new Set([ids.visite]));
          expect(recitsOf(await search(BROAD, { sectors: ["HÉBERGEMENT D'URGENCE", 'Gérontologie'] }))).toEqual(new Set([ids.veille, ids.ehpad]));
          expect(await search(BROAD, { sectors: ['psychiatrie'] })).toEqual([]);
        });

        it('filters by author role', async () => {
          expect(recitsOf(await search(BROAD, { roles: ['travailleur-social'] }))).toEqual(new Set([ids.veille, ids.asile]));
          expect(recitsOf(await search(BROAD, { roles: ['formateur', 'autre'] }))).toEqual(new Set([ids.ehpad, ids.burnout]));
        });

        it('filters by theme, any of the given ones, whatever the case', async () => {
          expect(recitsOf(await search(BROAD, { themes: ['Deuil'] }))).toEqual(new Set([ids.ehpad]));
          expect(recitsOf(await search(BROAD, { themes: ['famille', 'SUPERVISION'] }))).toEqual(new Set([ids.visite, ids.asile, ids.burnout]));
          expect(recitsOf(await search(BROAD, { themes: ["place de l'usager"] }))).toEqual(new Set([ids.asile]));
        });

        it('filters by language', async () => {
          expect(recitsOf(await search(BROAD, { languages: ['en'] }))).toEqual(new Set([ids.burnout]));
          expect(recitsOf(await search(BROAD, { languages: ['fr'] }))).toEqual(new Set([ids.visite, ids.veille, ids.ehpad, ids.asile]));
        });

        it('combines filters with AND and ignores empty lists', async () => {
          expect(recitsOf(await search(BROAD, { roles: ['travailleur-social'], themes: ['famille'] }))).toEqual(new Set([ids.asile]));
          expect(await search(BROAD, { sectors: ["hébergement d'urgence"], roles: ['formateur'] })).toEqual([]);
          expect(recitsOf(await search(BROAD, { sectors: [], roles: [], themes: [], languages: [] }))).toEqual(new Set(Object.values(ids)));
        });

        it('returns only chunks that satisfy the filters', async () => {
          const hits = await corpus.searchLexical(BROAD, 200, { roles: ['travailleur-social'], languages: ['fr'] });
          expect(hits.length).toBeGreaterThan(0);
          for (const chunk of await corpus.getChunks(hits.map((h) => h.chunkId))) {
            expect(chunk).toMatchObject({ authorRole: 'travailleur-social', language: 'fr' });
          }
        });
      });

      describe('recitIdsMatching', () => {
        const minePlain = (list: string[]) => list.filter((id) => id.startsWith(`${prefix}-`)).sort();

        it('lists each retrievable récit matching the filters once', async () => {
          expect(minePlain(await corpus.recitIdsMatching({ sectors: ['GÉRONTOLOGIE'] }))).toEqual([ids.ehpad]);
          expect(minePlain(await corpus.recitIdsMatching({ roles: ['travailleur-social'], languages: ['fr'] }))).toEqual([ids.veille, ids.asile].sort());
          expect(minePlain(await corpus.recitIdsMatching({ themes: ['famille'] }))).toEqual([ids.visite, ids.asile].sort());
          expect(minePlain(await corpus.recitIdsMatching({}))).toEqual(Object.values(ids).sort());
          const all = await corpus.recitIdsMatching({});
          expect(new Set(all).size).toBe(all.length);
        });
      });
    });

    describe('statistics', () => {
      const delta = (after: Record<string, number>, before: Record<string, number>): Record<string, number> =>
        Object.fromEntries(
          Object.keys({ ...after, ...before })
            .map((key) => [key, (after[key] ?? 0) - (before[key] ?? 0)] as const)
            .filter(([, n]) => n !== 0),
        );

      it('counts récits, retrievable and withdrawn ones, chunks and embedded chunks, by sector, role and theme', async () => {
        const p = uid();
        const before: CorpusStatistics = await corpus.statistics();
        const sectorA = `secteur-a-${p}`;
        const sectorB = `secteur-b-${p}`;
        const theme = `thème-${p}`;
        const { chunks: visite } = await saveSample('visite', `${p}-1`, { sector: sectorA, themes: [theme, 'famille'] });
        await saveSample('asile', `${p}-2`, { sector: sectorA, themes: [theme] });
        await saveSample('ehpad', `${p}-3`, { sector: sectorB });
        const excluded = stored(`${p}-4-exclu`, CORPUS.veille, { sector: sectorB, consent: { status: 'granted', date: '2024-01-01', scope: ['citation'], reference: 'R' } });
        await corpus.saveRecit(excluded, []);
        const { recit: gone } = await saveSample('burnout', `${p}-5`, { sector: sectorB });
        await corpus.withdraw(gone.id, T1);
        await corpus.markEmbedded([visite[0]!.id, visite[1]!.id], `model-${p}`);

        const after = await corpus.statistics();
        expect({
          recits: after.recits - before.recits,
          retrievable: after.retrievable - before.retrievable,
          withdrawn: after.withdrawn - before.withdrawn,
          chunks: after.chunks - before.chunks,
          embeddedChunks: after.embeddedChunks - before.embeddedChunks,
        }).toEqual({ recits: 5, retrievable: 3, withdrawn: 1, chunks: 3 + 2 + 2, embeddedChunks: 2 });
        expect(after.bySector[sectorA]).toBe(2);
        expect(after.bySector[sectorB]).toBe(1);
        expect(after.byTheme[theme]).toBe(2);
        expect(delta(after.byRole, before.byRole)).toEqual({ 'ancien-etudiant': 1, 'travailleur-social': 1, formateur: 1 });
        expect(delta(after.byTheme, before.byTheme)).toEqual({ [theme]: 2, famille: 1, deuil: 1, 'charge émotionnelle': 1 });
      });
    });
  });
}
