/**
 * The reflective assistant: safety first, then retrieval in the consented
 * récits, then an answer — written by the model when one is configured
 * (streamed where the platform allows), or made of quoted excerpts framed by
 * reflective questions when there is none or it fails. Every answer carries
 * its sources and feedback buttons, and is recorded (tokens, latency,
 * sources; never the text outside the message store).
 */
import { describeError } from '../errors.js';
import type { Locale } from '../i18n/locale.js';
import { catalog, t } from '../i18n/translate.js';
import type { ConversationContext, StreamingReply } from '../conversation/conversation-context.js';
import type { MessageBlock, OutboundMessage } from '../messages/outbound.js';
import type { AnswerCitation, AnswerMode, AnswerRepository } from '../ports/answer-repository.js';
import type { Clock } from '../ports/clock.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { ChatMessage, LanguageModel, TokenUsage } from '../ports/language-model.js';
import type { Logger } from '../ports/logger.js';
import type { AuditLog, MessageRepository } from '../ports/repositories.js';
import type { RetrievalFilters } from '../ports/corpus-repository.js';
import type { HybridRetriever, RetrievalMode } from '../retrieval/hybrid-retriever.js';
import { checkCitations } from './citation-check.js';
import { buildPrompt, type MemoryTurn } from './prompt-builder.js';
import { reflectiveQuestions } from './reflective-questions.js';
import type { DistressAssessment } from './safety/distress.js';
import type { SafetyGate } from './safety/safety-gate.js';
import { bestExcerpt, numberSources, roleLabel, toCitation, type NumberedSource } from './source-excerpts.js';

export const FEEDBACK_NAMESPACE = 'feedback';

export interface AssistantOptions {
  /** Sources given to the model (default 5); extractive mode quotes at most 3. */
  maxSources: number;
  /** Previous messages of the conversation given to the model (default 6). */
  memoryMessages: number;
}

export interface ReflectiveAssistantDeps {
  retriever: HybridRetriever;
  safety: SafetyGate;
  answers: AnswerRepository;
  messages: MessageRepository;
  audit: AuditLog;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  /** Absent: extractive answers only. */
  model?: LanguageModel;
  options?: Partial<AssistantOptions>;
}

/** Where a streamed answer goes while it is written (a platform stream, or nothing). */
export interface AnswerSink {
  informative(text: string): Promise<void>;
  append(chunk: string): Promise<void>;
}

export interface AssistantAnswer {
  id: string;
  mode: AnswerMode;
  message: OutboundMessage;
  /** The answer text alone (no sources), for the CLI. */
  text: string;
  citations: (AnswerCitation & { title: string })[];
  safety: DistressAssessment;
  retrieval: RetrievalMode | null;
  model: string | null;
  usage: TokenUsage & { embeddingTokens: number };
  latencyMs: number;
}

export interface AskOptions {
  locale: Locale;
  timezone: string;
  humanContact: string;
  filters?: RetrievalFilters;
  memory?: MemoryTurn[];
  sink?: AnswerSink;
  context?: ConversationContext;
}

const NO_USAGE = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
const MEMORY_CHARS = 1200;

export class ReflectiveAssistant {
  private readonly options: AssistantOptions;

  constructor(private readonly deps: ReflectiveAssistantDeps) {
    this.options = { maxSources: 5, memoryMessages: 6, ...deps.options };
  }

  get mode(): 'generative' | 'extractive' {
    return this.deps.model ? 'generative' : 'extractive';
  }

  /** The free-text handler of the conversation core: a person described a situation. */
  readonly handleFreeText = async (context: ConversationContext, text: string): Promise<void> => {
    let stream: StreamingReply | undefined;
    const sink: AnswerSink = {
      informative: async (info) => {
        stream ??= await context.reply.stream();
        await stream.informative(info);
      },
      append: async (chunk) => {
        stream ??= await context.reply.stream();
        await stream.append(chunk);
      },
    };
    const memory = await this.memoryOf(context);
    const answer = await this.ask(text, {
      locale: context.locale,
      timezone: context.settings.timezone,
      humanContact: context.settings.humanContact,
      memory,
      sink,
      context,
    });
    if (answer.mode === 'safety') {
      if (stream) await stream.abort();
      await context.reply.send(answer.message);
      await this.deps.safety.recordEscalation(context, answer.safety);
      return;
    }
    if (stream) await stream.end(answer.message);
    else await context.reply.send(answer.message);
    await this.record(context, answer);
  };

  /** Answers one question (conversation or `relais ask`). */
  async ask(text: string, options: AskOptions): Promise<AssistantAnswer> {
    const started = this.deps.clock.now().getTime();
    const id = this.deps.ids.next();
    const safety = await this.deps.safety.assess(text, true, options.context);
    if (safety.level === 'crisis') {
      const message = this.deps.safety.crisisMessage(options.locale, options.timezone, options.humanContact);
      return this.result(id, 'safety', message, textOf(message), [], safety, null, null, NO_USAGE, 0, started);
    }
    await options.sink?.informative(t(options.locale, 'assistant.searching'));
    const retrieval = await this.deps.retriever.search(text, { k: 12, ...(options.filters ? { filters: options.filters } : {}) });
    const sources = numberSources(retrieval.hits, this.options.maxSources);
    const concern = safety.level === 'concern' ? `\n\n${t(options.locale, 'assistant.concern')}` : '';
    if (sources.length === 0) {
      const message = this.noSourcesMessage(options.locale, id, concern);
      return this.result(id, 'no-sources', message, t(options.locale, 'assistant.noSources'), [], safety, retrieval.mode, null, NO_USAGE, retrieval.embeddingTokens, started);
    }
    if (this.deps.model) {
      try {
        const generated = await this.generate(text, sources, options);
        const checked = checkCitations(generated.text, sources.map((s) => s.index));
        const cited = checked.cited.length > 0 ? sources.filter((s) => checked.cited.includes(s.index)) : sources;
        const message = this.generativeMessage(options.locale, id, checked.text + concern, cited, text);
        return this.result(id, 'generative', message, checked.text, cited, safety, retrieval.mode, this.deps.model.model, generated.usage, retrieval.embeddingTokens, started);
      } catch (error) {
        this.deps.logger.warn({ err: describeError(error) }, 'model unavailable; extractive answer instead');
        const message = this.extractiveMessage(options.locale, id, sources, concern, true, text);
        return this.result(id, 'extractive', message, textOf(message), extractiveSources(sources), safety, retrieval.mode, null, NO_USAGE, retrieval.embeddingTokens, started);
      }
    }
    const message = this.extractiveMessage(options.locale, id, sources, concern, false, text);
    return this.result(id, 'extractive', message, textOf(message), extractiveSources(sources), safety, retrieval.mode, null, NO_USAGE, retrieval.embeddingTokens, started);
  }

  private async generate(text: string, sources: NumberedSource[], options: AskOptions): Promise<{ text: string; usage: TokenUsage }> {
    const model = this.deps.model!;
    const messages: ChatMessage[] = buildPrompt(options.locale, text, sources, options.memory ?? []);
    await options.sink?.informative(t(options.locale, 'assistant.writing'));
    let answer = '';
    let usage: TokenUsage = NO_USAGE;
    for await (const chunk of model.stream(messages)) {
      if (chunk.type === 'delta') {
        answer += chunk.text;
        await options.sink?.append(chunk.text);
      } else {
        usage = chunk.usage;
      }
    }
    if (answer.trim() === '') throw new Error('empty answer from the model');
    return { text: answer.trim(), usage };
  }

  private generativeMessage(locale: Locale, id: string, text: string, cited: NumberedSource[], query: string): OutboundMessage {
    return {
      blocks: [
        { type: 'text', markdown: text },
        { type: 'citations', items: cited.map((s) => toCitation(locale, s, query)) },
        { type: 'feedback', actionId: `${FEEDBACK_NAMESPACE}:${id}` },
      ],
      footer: { text: t(locale, 'footer.ai'), aiGenerated: true },
    };
  }

  private extractiveMessage(locale: Locale, id: string, sources: NumberedSource[], concern: string, modelDown: boolean, query: string): OutboundMessage {
    const texts = catalog(locale);
    const quoted = extractiveSources(sources);
    const excerpts = quoted.map((s) => {
      const { chunk } = s.hit;
      const attribution = `— *${chunk.heading}*, ${roleLabel(locale, chunk.authorRole)}, ${chunk.year}`;
      const body = chunk.quotable ? `« ${bestExcerpt(chunk.text, query, 420)} » [${s.index}]` : `${texts['assistant.extractive.notQuotable']} [${s.index}]`;
      return `> ${body}\n> ${attribution}`;
    });
    const themes = [...new Set(quoted.flatMap((s) => s.hit.chunk.themes))];
    const questions = reflectiveQuestions(locale, themes).map((q) => `- ${q}`);
    const markdown = [
      modelDown ? texts['assistant.modelUnavailable'] : '',
      texts['assistant.extractive.intro'],
      excerpts.join('\n\n'),
      `${texts['assistant.questions']}\n${questions.join('\n')}`,
    ]
      .filter(Boolean)
      .join('\n\n');
    return {
      blocks: [
        { type: 'text', markdown: markdown + concern },
        { type: 'citations', items: quoted.map((s) => toCitation(locale, s, query)) },
        { type: 'feedback', actionId: `${FEEDBACK_NAMESPACE}:${id}` },
      ],
      footer: { text: texts['assistant.footer.extractive'], aiGenerated: false },
    };
  }

  private noSourcesMessage(locale: Locale, id: string, concern: string): OutboundMessage {
    const questions = reflectiveQuestions(locale, []).map((q) => `- ${q}`);
    const blocks: MessageBlock[] = [
      { type: 'text', markdown: `${t(locale, 'assistant.noSources')}\n\n${t(locale, 'assistant.questions')}\n${questions.join('\n')}${concern}` },
      { type: 'feedback', actionId: `${FEEDBACK_NAMESPACE}:${id}` },
    ];
    return { blocks, footer: { text: t(locale, 'footer.bot'), aiGenerated: false } };
  }

  private result(
    id: string,
    mode: AnswerMode,
    message: OutboundMessage,
    text: string,
    cited: NumberedSource[],
    safety: DistressAssessment,
    retrieval: RetrievalMode | null,
    model: string | null,
    usage: TokenUsage,
    embeddingTokens: number,
    started: number,
  ): AssistantAnswer {
    return {
      id,
      mode,
      message,
      text,
      citations: cited.map((s) => ({ index: s.index, recitId: s.hit.chunk.recitId, chunkId: s.hit.chunk.id, score: s.hit.score, title: s.hit.chunk.heading })),
      safety,
      retrieval,
      model,
      usage: { ...usage, embeddingTokens },
      latencyMs: this.deps.clock.now().getTime() - started,
    };
  }

  /**
   * Recent exchanges of this conversation: a question and the assistant's
   * answer to it, in pairs. Only answered questions count, so the current
   * message (not answered yet), commands, and messages that got a safety
   * escalation instead of an answer never reach the model.
   */
  private async memoryOf(context: ConversationContext): Promise<MemoryTurn[]> {
    if (this.options.memoryMessages <= 0) return [];
    const recent = await this.deps.messages.listRecent(context.conversation.id, this.options.memoryMessages * 4);
    const turns: MemoryTurn[] = [];
    let question: string | undefined;
    for (const message of recent) {
      if (message.content.kind === 'text') {
        question = message.content.text;
        continue;
      }
      if (message.content.kind !== 'outbound' || message.content.message.purpose === 'disclosure') continue;
      const blocks = message.content.message.blocks;
      const answer = blocks.find((b) => b.type === 'text');
      if (question !== undefined && blocks.some((b) => b.type === 'feedback') && answer?.type === 'text') {
        turns.push({ role: 'user', content: question.slice(0, MEMORY_CHARS) }, { role: 'assistant', content: answer.markdown.slice(0, MEMORY_CHARS) });
      }
      question = undefined;
    }
    return turns.slice(-this.options.memoryMessages);
  }

  private async record(context: ConversationContext, answer: AssistantAnswer): Promise<void> {
    await this.deps.answers.record({
      id: answer.id,
      conversationId: context.conversation.id,
      personId: context.person.id,
      mode: answer.mode,
      model: answer.model,
      promptTokens: answer.usage.promptTokens,
      completionTokens: answer.usage.completionTokens,
      embeddingTokens: answer.usage.embeddingTokens,
      latencyMs: answer.latencyMs,
      citations: answer.citations.map(({ title: _title, ...citation }) => citation),
      safetyLevel: answer.safety.level,
      createdAt: this.deps.clock.now(),
    });
    await this.deps.audit.record({
      actorId: context.person.id,
      action: 'assistant.answer',
      subjectType: 'answer',
      subjectId: answer.id,
      outcome: 'ok',
      correlationId: context.event.id,
      details: {
        mode: answer.mode,
        retrieval: answer.retrieval,
        model: answer.model,
        sources: answer.citations.map((c) => c.recitId),
        promptTokens: answer.usage.promptTokens,
        completionTokens: answer.usage.completionTokens,
        latencyMs: answer.latencyMs,
        safety: answer.safety.level,
      },
    });
  }
}

/**
 * Extractive answers quote at most three sources, only what consent allows
 * (if nothing may be quoted, they name the sources), numbered 1, 2, 3.
 */
function extractiveSources(sources: NumberedSource[]): NumberedSource[] {
  const quotable = sources.filter((s) => s.hit.chunk.quotable);
  return (quotable.length > 0 ? quotable : sources).slice(0, 3).map((s, i) => ({ ...s, index: i + 1 }));
}

function textOf(message: OutboundMessage): string {
  const block = message.blocks.find((b) => b.type === 'text');
  return block?.type === 'text' ? block.markdown : '';
}
