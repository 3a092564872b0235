/**
 * Relais web chat page. Plain ES2020 module, no build step, no dependency.
 * Talks to the web API described in docs/web-api.md:
 *   POST /api/web/messages and /api/web/actions (answers read as SSE),
 *   GET  /api/web/users/:id/messages (history), GET /api/web/users/:id/stream (live).
 */

// ---------------------------------------------------------------------------
// Interface texts (the bot's own texts come localised from the server)
// ---------------------------------------------------------------------------

const STRINGS = {
  fr: {
    skip: 'Aller à la zone de saisie',
    tagline: 'Assistant automatisé qui utilise l’intelligence artificielle : ses réponses peuvent contenir des erreurs.',
    shortcuts: 'Raccourcis',
    help: 'Aide',
    about: 'À propos',
    newConversation: 'Nouvelle conversation',
    cmdHelp: 'aide',
    cmdAbout: 'à propos',
    conversation: 'Conversation',
    logLabel: 'Messages échangés avec Relais',
    welcomeTitle: 'Bienvenue',
    welcomeText:
      'Écrivez votre message dans la zone de saisie ci-dessous, ou cliquez sur « Aide » pour découvrir ce que Relais sait faire.',
    composerLabel: 'Votre message',
    placeholder: 'Écrivez votre message…',
    send: 'Envoyer',
    composerHint: 'Entrée pour envoyer, Maj + Entrée pour aller à la ligne.',
    you: 'Vous',
    bot: 'Relais',
    typing: 'Relais écrit…',
    retry: 'Réessayer',
    close: 'Fermer',
    disclosureBadge: 'Information importante : vous échangez avec une IA',
    proactiveBadge: 'Message de Relais',
    errorBadge: 'Incident',
    aiBadge: 'Généré par IA',
    sources: 'Sources',
    feedbackQuestion: 'Cette réponse vous a-t-elle été utile ?',
    useful: 'Utile',
    notUseful: 'Pas utile',
    yourAnswer: 'Votre réponse :',
    noAnswer: '(aucune réponse)',
    errRequired: 'Cette réponse est obligatoire.',
    errChooseOne: 'Choisissez au moins une option.',
    errNumber: 'Indiquez un nombre (par exemple 30).',
    errMin: 'Indiquez un nombre supérieur ou égal à {min}.',
    errMax: 'Indiquez un nombre inférieur ou égal à {max}.',
    errStep: 'Indiquez une valeur par pas de {step}.',
    rangeBoth: 'Entre {min} et {max}',
    rangeMin: 'Au moins {min}',
    rangeMax: 'Au plus {max}',
    chars: '{count} / {max} caractères',
    network: 'Impossible de joindre Relais pour le moment. Vérifiez votre connexion, puis réessayez.',
    textKept: 'Votre message n’est pas perdu : il est toujours dans la zone de saisie.',
    unavailable: 'Relais est momentanément indisponible. Merci de réessayer dans quelques instants.',
    serverError: 'Désolé, une erreur s’est produite. Merci de réessayer dans un instant.',
    reference: '(référence : {ref})',
    invalid: 'Cette demande n’a pas pu être traitée. Vérifiez votre saisie et réessayez.',
    tooLong: 'Votre message est trop long ({length} caractères pour {limit} au maximum). Pouvez-vous le raccourcir ?',
    tooLarge: 'Votre message est trop volumineux. Pouvez-vous le raccourcir ?',
    interrupted:
      'La connexion a été coupée pendant la réponse. La suite s’affichera dès que la connexion sera rétablie.',
    historyFailed: 'Impossible de charger vos messages précédents.',
    tokenTitle: 'Accès protégé',
    tokenIntro: 'Ce service demande un jeton d’accès, fourni par votre établissement.',
    tokenLabel: 'Jeton d’accès',
    tokenSubmit: 'Valider',
    tokenRejected: 'Ce jeton n’a pas été accepté. Vérifiez-le et réessayez.',
    tokenEmpty: 'Saisissez le jeton d’accès.',
    newConversationStarted: 'Nouvelle conversation commencée.',
    reconnecting: 'Connexion interrompue, nouvelle tentative en cours…',
    streamAborted: '(réponse interrompue)',
    imageUnavailable: 'Image indisponible : {alt}',
    fileDownload: 'Télécharger {name} ({size})',
    fileUnavailable: 'Fichier indisponible : {name}',
    scaleEnd: '{value} : {label}',
  },
  en: {
    skip: 'Skip to the message box',
    tagline: 'Automated assistant that uses artificial intelligence: its answers may contain mistakes.',
    shortcuts: 'Shortcuts',
    help: 'Help',
    about: 'About',
    newConversation: 'New conversation',
    cmdHelp: 'help',
    cmdAbout: 'about',
    conversation: 'Conversation',
    logLabel: 'Messages exchanged with Relais',
    welcomeTitle: 'Welcome',
    welcomeText: 'Write your message in the box below, or click “Help” to see what Relais can do.',
    composerLabel: 'Your message',
    placeholder: 'Write your message…',
    send: 'Send',
    composerHint: 'Enter to send, Shift + Enter for a new line.',
    you: 'You',
    bot: 'Relais',
    typing: 'Relais is writing…',
    retry: 'Retry',
    close: 'Close',
    disclosureBadge: 'Important: you are talking with an AI',
    proactiveBadge: 'Message from Relais',
    errorBadge: 'Problem',
    aiBadge: 'AI-generated',
    sources: 'Sources',
    feedbackQuestion: 'Was this answer useful?',
    useful: 'Useful',
    notUseful: 'Not useful',
    yourAnswer: 'Your answer:',
    noAnswer: '(no answer)',
    errRequired: 'An answer is required.',
    errChooseOne: 'Choose at least one option.',
    errNumber: 'Enter a number (for example 30).',
    errMin: 'Enter a number greater than or equal to {min}.',
    errMax: 'Enter a number less than or equal to {max}.',
    errStep: 'Enter a value in steps of {step}.',
    rangeBoth: 'Between {min} and {max}',
    rangeMin: 'At least {min}',
    rangeMax: 'At most {max}',
    chars: '{count} / {max} characters',
    network: 'Relais cannot be reached right now. Check your connection, then try again.',
    textKept: 'Your message is not lost: it is still in the message box.',
    unavailable: 'Relais is temporarily unavailable. Please try again in a moment.',
    serverError: 'Sorry, something went wrong. Please try again in a moment.',
    reference: '(reference: {ref})',
    invalid: 'This request could not be processed. Check what you entered and try again.',
    tooLong: 'Your message is too long ({length} characters, {limit} at most). Could you shorten it?',
    tooLarge: 'Your message is too large. Could you shorten it?',
    interrupted: 'The connection was lost during the answer. The rest will appear as soon as it is back.',
    historyFailed: 'Your previous messages could not be loaded.',
    tokenTitle: 'Protected access',
    tokenIntro: 'This service requires an access token, provided by your organisation.',
    tokenLabel: 'Access token',
    tokenSubmit: 'Confirm',
    tokenRejected: 'This token was not accepted. Check it and try again.',
    tokenEmpty: 'Enter the access token.',
    newConversationStarted: 'New conversation started.',
    reconnecting: 'Connection lost, trying again…',
    streamAborted: '(answer interrupted)',
    imageUnavailable: 'Image unavailable: {alt}',
    fileDownload: 'Download {name} ({size})',
    fileUnavailable: 'File unavailable: {name}',
    scaleEnd: '{value}: {label}',
  },
};

let uiLocale = 'fr';

function t(key, params = {}) {
  const text = (STRINGS[uiLocale] && STRINGS[uiLocale][key]) ?? STRINGS.fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/** Follows the language the bot answers in, so the page never mixes languages. */
function setLocale(locale) {
  const next = locale === 'en' ? 'en' : 'fr';
  if (next === uiLocale) return;
  uiLocale = next;
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of document.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  updateStatus();
}

function formatNumber(value) {
  return new Intl.NumberFormat(uiLocale === 'en' ? 'en-GB' : 'fr-FR').format(value);
}

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(uiLocale === 'en' ? 'en-GB' : 'fr-FR', { hour: '2-digit', minute: '2-digit' }).format(date);
}

// ---------------------------------------------------------------------------
// Storage: localStorage may throw (private browsing, disabled storage)
// ---------------------------------------------------------------------------

const KEYS = {
  userId: 'relais.userId',
  conversationId: 'relais.conversationId',
  token: 'relais.token',
  transcript: 'relais.transcript',
  answers: 'relais.answers',
};

function readStore(store, key) {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

function writeStore(store, key, value) {
  try {
    if (value === null || value === undefined) store.removeItem(key);
    else store.setItem(key, value);
  } catch {
    // Storage unavailable: the page still works, it just forgets on reload.
  }
}

function readJson(store, key, fallback) {
  try {
    return JSON.parse(readStore(store, key) ?? '') ?? fallback;
  } catch {
    return fallback;
  }
}

function loadUserId() {
  let id = readStore(localStorage, KEYS.userId);
  if (!id || !/^[A-Za-z0-9._:@-]{1,128}$/.test(id)) {
    id = `web-${crypto.randomUUID()}`;
    writeStore(localStorage, KEYS.userId, id);
  }
  return id;
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

const state = {
  userId: loadUserId(),
  conversationId: readStore(localStorage, KEYS.conversationId),
  token: readStore(sessionStorage, KEYS.token),
  /** Ids of the bot messages already on screen: live stream, POST answers and history overlap. */
  shown: new Set(),
  /** Id of the last bot message on screen, to replay the user's own messages at the right place after a reload. */
  lastBotId: null,
  /** History cursor, for polling when the live stream cannot be used. */
  cursor: null,
  pending: 0,
  statusNote: '',
  restoring: false,
  historyLoaded: false,
  streamInfo: '',
  drafts: new Map(),
  queue: Promise.resolve(),
  eventSource: null,
  pollTimer: null,
  retry: null,
  afterToken: null,
};

const MAX_TRANSCRIPT = 300;
const POLL_MS = 10_000;
const PAGE_SIZE = 50;
const INBOX = 'inbox';

// ---------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const ui = {
  log: $('log'),
  welcome: $('welcome'),
  status: $('status'),
  alert: $('alert'),
  alertText: $('alert-text'),
  alertRetry: $('alert-retry'),
  alertClose: $('alert-close'),
  tokenForm: $('token-form'),
  tokenInput: $('token-input'),
  tokenError: $('token-error'),
  composer: $('composer'),
  input: $('composer-input'),
  skipLink: $('skip-link'),
};

let uniqueCounter = 0;
const uniqueId = (prefix) => `${prefix}-${++uniqueCounter}`;

/** Small DOM builder: text goes through textContent, never through HTML. */
function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** `prepend` would turn a null into the text "null". */
function prependAll(parent, nodes) {
  parent.prepend(...nodes.filter(Boolean));
}

/** Text in the current language that follows later language switches. */
function i18nText(tag, key, props = {}) {
  return el(tag, { ...props, text: t(key), dataset: { ...(props.dataset || {}), i18n: key } });
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || 'http.error';
    this.details = error.details || {};
    this.ref = error.ref;
  }
}

class NetworkError extends Error {}

function authHeaders() {
  return state.token ? { authorization: `Bearer ${state.token}` } : {};
}

async function apiFetch(path, init = {}) {
  let response;
  try {
    response = await fetch(path, { ...init, headers: { ...authHeaders(), ...(init.headers || {}) } });
  } catch (error) {
    throw new NetworkError(error.message);
  }
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new ApiError(response.status, body);
  }
  return response;
}

/** Splits a server-sent event stream read from fetch (EventSource cannot POST). */
async function readEventStream(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw new NetworkError(error.message);
    }
    if (chunk.done) break;
    buffer += chunk.value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = parseEventBlock(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (event) onEvent(event);
    }
  }
}

function parseEventBlock(raw) {
  let type = 'message';
  const data = [];
  for (const line of raw.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  try {
    return { type, data: JSON.parse(data.join('\n')) };
  } catch {
    return null;
  }
}

/**
 * Posts a message or an action and shows the answers as they come.
 * `partial` on the thrown error tells whether the server already answered
 * something (then the request must not be sent again).
 */
async function exchange(path, body, onDone) {
  state.pending++;
  updateStatus();
  let received = 0;
  let streamError = null;
  try {
    const response = await apiFetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
    });
    if ((response.headers.get('content-type') || '').includes('text/event-stream')) {
      await readEventStream(response, (event) => {
        received++;
        if (event.type === 'error') streamError = event.data;
        else if (event.type === 'done') onDone?.(event.data);
        else handleReplyEvent(event);
      });
    } else {
      const json = await response.json();
      received++;
      (json.replies || []).forEach(showMessage);
      onDone?.(json);
    }
    if (streamError) throw new ApiError(500, { error: streamError });
  } catch (error) {
    error.partial = received > (streamError ? 1 : 0);
    throw error;
  } finally {
    state.pending--;
    state.streamInfo = '';
    abandonDrafts();
    updateStatus();
  }
}

/** Requests run one after the other, so a second message reuses the conversation the first one opened. */
function enqueue(task) {
  state.queue = state.queue.then(task, task);
  return state.queue;
}

// ---------------------------------------------------------------------------
// Answers streamed by the server
// ---------------------------------------------------------------------------

function handleReplyEvent({ type, data }) {
  switch (type) {
    case 'message':
      showMessage(data);
      break;
    case 'stream-start':
      startDraft(data.streamId);
      break;
    case 'stream-info':
      state.streamInfo = data.text || '';
      updateStatus();
      break;
    case 'stream-delta':
      appendToDraft(data.streamId, data.text || '');
      break;
    case 'stream-end':
      endDraft(data.streamId, data.message);
      break;
    case 'stream-abort':
      abortDraft(data.streamId);
      break;
    default:
      break;
  }
}

function startDraft(streamId) {
  hideWelcome();
  const text = document.createTextNode('');
  const article = el('article', { className: 'message message--bot message--draft', 'aria-busy': 'true' }, [
    messageMeta(false, new Date().toISOString()),
    el('div', { className: 'message__body' }, [el('p', { className: 'draft-text' }, [text])]),
  ]);
  // Announcing each fragment would flood screen readers: the log speaks when the final message replaces the draft.
  ui.log.setAttribute('aria-busy', 'true');
  const stick = isNearBottom();
  ui.log.append(article);
  scrollToEnd(stick);
  state.drafts.set(streamId, { article, text });
}

function appendToDraft(streamId, chunk) {
  const draft = state.drafts.get(streamId);
  if (!draft) return;
  const stick = isNearBottom();
  draft.text.appendData(chunk);
  if (state.streamInfo) {
    state.streamInfo = '';
    updateStatus();
  }
  scrollToEnd(stick);
}

function endDraft(streamId, message) {
  const draft = state.drafts.get(streamId);
  state.drafts.delete(streamId);
  settleLogBusy();
  if (!draft) {
    showMessage(message);
    return;
  }
  if (!message || state.shown.has(message.id)) {
    draft.article.remove();
    return;
  }
  const rendered = registerMessage(message);
  draft.article.replaceWith(rendered);
}

function abortDraft(streamId) {
  const draft = state.drafts.get(streamId);
  state.drafts.delete(streamId);
  settleLogBusy();
  if (!draft) return;
  draft.article.classList.remove('message--draft');
  draft.article.removeAttribute('aria-busy');
  if (draft.text.data.trim() === '') draft.article.remove();
  else draft.article.querySelector('.message__body').append(i18nText('p', 'streamAborted', { className: 'draft-note' }));
}

function abandonDrafts() {
  for (const streamId of [...state.drafts.keys()]) abortDraft(streamId);
}

function settleLogBusy() {
  if (state.drafts.size === 0) ui.log.removeAttribute('aria-busy');
}

// ---------------------------------------------------------------------------
// Messages on screen
// ---------------------------------------------------------------------------

function isNearBottom() {
  const doc = document.documentElement;
  return doc.scrollHeight - (window.scrollY + window.innerHeight) < 160;
}

function scrollToEnd(force, instant = false) {
  if (!force || state.restoring) return;
  const smooth = !instant && !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  window.scrollTo({ top: document.documentElement.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
}

function messageMeta(fromUser, iso, badgeKey) {
  return el('p', { className: 'message__meta' }, [
    i18nText('span', fromUser ? 'you' : 'bot', { className: 'message__author' }),
    el('span', { className: 'visually-hidden', text: ' : ' }),
    iso ? el('time', { className: 'message__time', datetime: iso, text: formatTime(iso) }) : null,
    badgeKey ? i18nText('span', badgeKey, { className: `badge badge--${badgeKey}` }) : null,
  ]);
}

/** Shows a bot message once, whichever channel delivers it first. Returns false when already shown. */
function showMessage(message) {
  if (!message || !message.id || state.shown.has(message.id)) return false;
  const stick = isNearBottom();
  ui.log.append(registerMessage(message));
  scrollToEnd(stick);
  return true;
}

function registerMessage(message) {
  state.shown.add(message.id);
  if (message.cursor) state.lastBotId = message.id;
  setLocale(message.locale);
  hideWelcome();
  return renderMessage(message);
}

function showUserMessage(text, options = {}) {
  hideWelcome();
  const article = el('article', { className: 'message message--user' }, [
    messageMeta(true, options.at || new Date().toISOString()),
    el('div', { className: 'message__body' }, [el('p', { className: 'user-text', text })]),
  ]);
  ui.log.append(article);
  scrollToEnd(options.follow !== false);
  return article;
}

function showDivider() {
  const divider = el('div', { className: 'divider' }, [i18nText('span', 'newConversation')]);
  ui.log.append(divider);
  return divider;
}

function hideWelcome() {
  ui.welcome.hidden = true;
}

function updateStatus() {
  const text = state.pending > 0 ? state.streamInfo || t('typing') : state.statusNote || '';
  if (ui.status.textContent !== text) ui.status.textContent = text;
  ui.status.classList.toggle('status--busy', state.pending > 0);
}

function setStatusNote(note) {
  state.statusNote = note;
  updateStatus();
}

// ---------------------------------------------------------------------------
// Local transcript: the API returns only the bot's messages, so the page
// keeps what the person wrote for this tab (sessionStorage: gone when the tab
// is closed, which matters on shared computers).
// ---------------------------------------------------------------------------

function readTranscript() {
  const entries = readJson(sessionStorage, KEYS.transcript, []);
  return Array.isArray(entries) ? entries.filter((e) => e && typeof e === 'object') : [];
}

function recordTranscript(entry) {
  const entries = readTranscript();
  const stored = { ...entry, key: uniqueId(`t${Date.now()}`) };
  entries.push(stored);
  writeStore(sessionStorage, KEYS.transcript, JSON.stringify(entries.slice(-MAX_TRANSCRIPT)));
  return stored.key;
}

function forgetTranscript(key) {
  writeStore(sessionStorage, KEYS.transcript, JSON.stringify(readTranscript().filter((e) => e.key !== key)));
}

function answerKey(messageId, actionId) {
  return `${messageId}|${actionId}`;
}

function readAnswers() {
  const answers = readJson(sessionStorage, KEYS.answers, {});
  return answers && typeof answers === 'object' ? answers : {};
}

function rememberAnswer(messageId, actionId, answer) {
  const answers = readAnswers();
  if (answer) answers[answerKey(messageId, actionId)] = answer;
  else delete answers[answerKey(messageId, actionId)];
  writeStore(sessionStorage, KEYS.answers, JSON.stringify(answers));
}

function storedAnswer(messageId, actionId) {
  return readAnswers()[answerKey(messageId, actionId)];
}

// ---------------------------------------------------------------------------
// Rendering of a bot message and its blocks
// ---------------------------------------------------------------------------

const BADGES = { disclosure: 'disclosureBadge', proactive: 'proactiveBadge', error: 'errorBadge' };

function renderMessage(message) {
  const purpose = ['reply', 'disclosure', 'error', 'proactive'].includes(message.purpose) ? message.purpose : 'reply';
  const body = el('div', { className: 'message__body' });
  for (const block of message.blocks || []) {
    const node = renderBlock(block, message);
    if (node) body.append(node);
  }
  linkCitations(body, message);
  return el('article', { className: `message message--bot message--${purpose}`, dataset: { messageId: message.id }, lang: message.locale }, [
    messageMeta(false, message.createdAt, BADGES[purpose]),
    body,
    message.footer ? renderFooter(message.footer) : null,
  ]);
}

function renderBlock(block, message) {
  switch (block.type) {
    case 'text':
      return renderText(block);
    case 'buttons':
      return renderButtons(block, message);
    case 'choice':
      return block.multiple ? renderMultipleChoice(block, message) : renderSingleChoice(block, message);
    case 'scale':
      return renderScale(block, message);
    case 'number':
      return renderNumber(block, message);
    case 'text-input':
      return renderTextInput(block, message);
    case 'image':
      return renderImage(block);
    case 'file':
      return renderFile(block);
    case 'citations':
      return renderCitations(block, message);
    case 'feedback':
      return renderFeedback(block, message);
    default:
      return null;
  }
}

function renderText(block) {
  const node = el('div', { className: 'block block--text' });
  // The server builds this HTML from escaped markdown (markdown.ts): only its own tags, safe to insert.
  node.innerHTML = block.html;
  return node;
}

function renderButtons(block, message) {
  const buttons = (block.buttons || []).map((button) => {
    const style = ['primary', 'danger'].includes(button.style) ? button.style : 'default';
    return el('button', {
      type: 'button',
      className: `btn btn--${style}`,
      text: button.label,
      onClick: () => sendAction(message, button.actionId, button.value, button.label),
    });
  });
  return el('div', { className: 'block block--buttons' }, buttons);
}

/**
 * Shared life cycle of the blocks that ask for an answer: locked (disabled,
 * answer shown) while sent and once answered, unlocked again if sending fails.
 */
function answerable(container, message, actionId, apply) {
  const answerLine = el('p', { className: 'answer', hidden: true, tabindex: '-1' });
  container.append(answerLine);
  const control = {
    lock(answer) {
      container.classList.add('block--answered');
      for (const field of container.querySelectorAll('button, input, textarea')) field.disabled = true;
      answerLine.replaceChildren(i18nText('span', 'yourAnswer', { className: 'answer__label' }), ' ', el('strong', { text: answer.label }));
      answerLine.hidden = false;
      apply?.(answer, true);
    },
    unlock() {
      container.classList.remove('block--answered');
      for (const field of container.querySelectorAll('button, input, textarea')) field.disabled = false;
      answerLine.hidden = true;
      apply?.(null, false);
    },
    submit(value, label) {
      sendAction(message, actionId, value, label, control);
      // The control that had focus is now disabled: keep keyboard users where they were.
      answerLine.focus({ preventScroll: true });
    },
  };
  const previous = storedAnswer(message.id, actionId);
  if (previous) queueMicrotask(() => control.lock(previous));
  return control;
}

function fieldError(container) {
  const node = el('p', { className: 'field-error', id: uniqueId('err'), hidden: true });
  container.append(node);
  return {
    id: node.id,
    show(text, field) {
      node.textContent = text;
      node.hidden = false;
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
    },
    clear(field) {
      node.textContent = '';
      node.hidden = true;
      field?.removeAttribute('aria-invalid');
    },
  };
}

function renderSingleChoice(block, message) {
  const fieldset = el('fieldset', { className: 'block block--choice' }, [el('legend', { className: 'block__label', text: block.label })]);
  const options = el('div', { className: 'options' });
  fieldset.append(options);
  const buttons = (block.options || []).map((option) => {
    const button = el('button', {
      type: 'button',
      className: 'btn btn--option',
      'aria-pressed': 'false',
      text: option.label,
      dataset: { value: option.value },
      onClick: () => control.submit(option.value, option.label),
    });
    options.append(button);
    return button;
  });
  const control = answerable(fieldset, message, block.actionId, (answer) => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(!!answer && button.dataset.value === answer.value));
  });
  return fieldset;
}

function renderMultipleChoice(block, message) {
  const form = el('form', { className: 'block block--choice block--multiple', novalidate: true });
  const fieldset = el('fieldset', { className: 'fieldset' }, [el('legend', { className: 'block__label', text: block.label })]);
  const list = el('div', { className: 'checks' });
  const boxes = (block.options || []).map((option) => {
    const id = uniqueId('opt');
    const box = el('input', { type: 'checkbox', id, value: option.value, className: 'check__input' });
    list.append(el('div', { className: 'check' }, [box, el('label', { for: id, className: 'check__label', text: option.label })]));
    return { box, option };
  });
  fieldset.append(list);
  form.append(fieldset);
  const error = fieldError(form);
  fieldset.setAttribute('aria-describedby', error.id);
  form.append(el('div', { className: 'block__actions' }, [submitButton(block.submitLabel)]));
  const control = answerable(form, message, block.actionId, (answer) => {
    if (!answer) return;
    for (const { box } of boxes) box.checked = (answer.value || []).includes(box.value);
  });
  form.addEventListener('change', () => error.clear());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = boxes.filter(({ box }) => box.checked);
    if (block.required && chosen.length === 0) {
      error.show(t('errChooseOne'));
      boxes[0]?.box.focus();
      return;
    }
    error.clear();
    const label = chosen.length > 0 ? chosen.map(({ option }) => option.label).join(', ') : t('noAnswer');
    control.submit(
      chosen.map(({ option }) => option.value),
      label,
    );
  });
  return form;
}

function submitButton(label) {
  return label ? el('button', { type: 'submit', className: 'btn btn--primary', text: label }) : i18nText('button', 'send', { type: 'submit', className: 'btn btn--primary' });
}

function renderScale(block, message) {
  const fieldset = el('fieldset', { className: 'block block--scale' }, [el('legend', { className: 'block__label', text: block.label })]);
  const row = el('div', { className: 'scale' });
  const min = Math.ceil(Number(block.min));
  const max = Math.floor(Number(block.max));
  const minId = block.minLabel ? uniqueId('scale-min') : null;
  const maxId = block.maxLabel ? uniqueId('scale-max') : null;
  const buttons = [];
  for (let value = min; value <= max && buttons.length < 21; value++) {
    const describedBy = value === min ? minId : value === max ? maxId : null;
    const button = el('button', {
      type: 'button',
      className: 'btn btn--option btn--scale',
      'aria-pressed': 'false',
      'aria-describedby': describedBy,
      text: String(value),
      onClick: () => control.submit(value, String(value)),
    });
    buttons.push(button);
    row.append(button);
  }
  fieldset.append(row);
  if (block.minLabel || block.maxLabel) {
    fieldset.append(
      el('div', { className: 'scale__ends' }, [
        el('span', { id: minId, className: 'scale__end', text: block.minLabel ? t('scaleEnd', { value: min, label: block.minLabel }) : '' }),
        el('span', { id: maxId, className: 'scale__end scale__end--max', text: block.maxLabel ? t('scaleEnd', { value: max, label: block.maxLabel }) : '' }),
      ]),
    );
  }
  const control = answerable(fieldset, message, block.actionId, (answer) => {
    for (const button of buttons) button.setAttribute('aria-pressed', String(!!answer && button.textContent === String(answer.value)));
  });
  return fieldset;
}

function rangeHint(block) {
  const hasMin = typeof block.min === 'number';
  const hasMax = typeof block.max === 'number';
  if (hasMin && hasMax) return t('rangeBoth', { min: formatNumber(block.min), max: formatNumber(block.max) });
  if (hasMin) return t('rangeMin', { min: formatNumber(block.min) });
  if (hasMax) return t('rangeMax', { max: formatNumber(block.max) });
  return '';
}

function renderNumber(block, message) {
  const form = el('form', { className: 'block block--number', novalidate: true });
  const id = uniqueId('num');
  const hint = rangeHint(block);
  const hintId = hint || block.unit ? uniqueId('hint') : null;
  const input = el('input', {
    type: 'number',
    id,
    className: 'input input--number',
    inputmode: 'decimal',
    min: block.min,
    max: block.max,
    step: block.step ?? 'any',
    'aria-required': block.required ? 'true' : null,
  });
  const error = fieldError(form);
  input.setAttribute('aria-describedby', [hintId, error.id].filter(Boolean).join(' '));
  prependAll(form, [
    el('label', { className: 'block__label', for: id, text: block.label }),
    el('div', { className: 'field-row' }, [
      input,
      block.unit ? el('span', { className: 'unit', text: block.unit, 'aria-hidden': 'true' }) : null,
      submitButton(block.submitLabel),
    ]),
    hintId ? el('p', { className: 'hint', id: hintId, text: [hint, block.unit].filter(Boolean).join(' · ') }) : null,
  ]);
  const control = answerable(form, message, block.actionId, (answer) => {
    if (answer) input.value = String(answer.value);
  });
  input.addEventListener('input', () => error.clear(input));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const raw = input.value.trim();
    if (raw === '') {
      if (block.required || input.validity.badInput) return error.show(t('errNumber'), input);
      error.clear(input);
      return control.submit(undefined, t('noAnswer'));
    }
    const value = Number(raw);
    const problem = numberProblem(block, value);
    if (problem) return error.show(problem, input);
    error.clear(input);
    control.submit(value, [formatNumber(value), block.unit].filter(Boolean).join(' '));
  });
  return form;
}

function numberProblem(block, value) {
  if (!Number.isFinite(value)) return t('errNumber');
  if (typeof block.min === 'number' && value < block.min) return t('errMin', { min: formatNumber(block.min) });
  if (typeof block.max === 'number' && value > block.max) return t('errMax', { max: formatNumber(block.max) });
  if (typeof block.step === 'number' && block.step > 0) {
    const steps = (value - (block.min ?? 0)) / block.step;
    if (Math.abs(steps - Math.round(steps)) > 1e-9) return t('errStep', { step: formatNumber(block.step) });
  }
  return null;
}

function renderTextInput(block, message) {
  const form = el('form', { className: 'block block--text-input', novalidate: true });
  const id = uniqueId('txt');
  const field = el(block.multiline ? 'textarea' : 'input', {
    id,
    className: block.multiline ? 'input input--multiline' : 'input',
    type: block.multiline ? null : 'text',
    rows: block.multiline ? 3 : null,
    placeholder: block.placeholder,
    maxlength: block.maxLength,
    'aria-required': block.required ? 'true' : null,
  });
  const error = fieldError(form);
  const counter = block.maxLength ? el('p', { className: 'hint counter', id: uniqueId('count') }) : null;
  const updateCounter = () => {
    if (counter) counter.textContent = t('chars', { count: formatNumber(field.value.length), max: formatNumber(block.maxLength) });
  };
  updateCounter();
  field.setAttribute('aria-describedby', [counter?.id, error.id].filter(Boolean).join(' '));
  prependAll(form, [el('label', { className: 'block__label', for: id, text: block.label }), field, counter]);
  form.append(el('div', { className: 'block__actions' }, [submitButton(block.submitLabel)]));
  const control = answerable(form, message, block.actionId, (answer) => {
    if (answer) field.value = String(answer.value ?? '');
    updateCounter();
  });
  field.addEventListener('input', () => {
    error.clear(field);
    updateCounter();
  });
  // In a multi-line answer Enter is a new line; Ctrl/Cmd + Enter sends.
  field.addEventListener('keydown', (event) => {
    if (block.multiline && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = field.value;
    if (block.required && value.trim() === '') return error.show(t('errRequired'), field);
    error.clear(field);
    control.submit(value, value.trim() === '' ? t('noAnswer') : value);
  });
  return form;
}

function renderImage(block) {
  const caption = block.title ? el('figcaption', { className: 'figure__caption', text: block.title }) : null;
  if (!block.url) {
    return el('figure', { className: 'block block--image' }, [el('p', { className: 'image-missing', text: t('imageUnavailable', { alt: block.alt }) }), caption]);
  }
  return el('figure', { className: 'block block--image' }, [el('img', { src: block.url, alt: block.alt || '', loading: 'lazy', decoding: 'async' }), caption]);
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} ko`;
  return `${(bytes / 1024 / 1024).toFixed(1)} Mo`;
}

/** A file sent by the bot (e.g. a survey export): a download link; only data: URLs are offered. */
function renderFile(block) {
  const name = String(block.filename || 'export');
  if (typeof block.url !== 'string' || !block.url.startsWith('data:')) {
    return el('p', { className: 'block block--file file-missing', text: t('fileUnavailable', { name }) });
  }
  const link = el('a', { className: 'file-link', href: block.url, download: name, text: t('fileDownload', { name, size: formatSize(Number(block.bytes) || 0) }) });
  return el('p', { className: 'block block--file' }, [link]);
}

function citationAnchor(message, index) {
  return `cite-${message.id}-${index}`;
}

function renderCitations(block, message) {
  const headingId = uniqueId('sources');
  const list = el('ol', { className: 'citations__list' });
  for (const item of block.items || []) {
    const title = item.url
      ? el('a', { href: item.url, rel: 'noopener noreferrer', target: '_blank', text: item.title })
      : el('span', { text: item.title });
    list.append(
      el('li', { id: citationAnchor(message, item.index), value: item.index, tabindex: '-1', className: 'citation' }, [
        el('span', { className: 'citation__title' }, [title]),
        item.source ? el('span', { className: 'citation__source', text: item.source }) : null,
        item.excerpt ? el('q', { className: 'citation__excerpt', text: item.excerpt }) : null,
      ]),
    );
  }
  return el('section', { className: 'block block--citations', 'aria-labelledby': headingId }, [
    i18nText('h3', 'sources', { id: headingId, className: 'citations__title' }),
    list,
  ]);
}

/** Turns "[2]" in the message's own text into a link to its source, on text nodes only (no HTML re-parsing). */
function linkCitations(body, message) {
  const indexes = new Set(
    (message.blocks || []).filter((b) => b.type === 'citations').flatMap((b) => (b.items || []).map((i) => String(i.index))),
  );
  if (indexes.size === 0) return;
  for (const block of body.querySelectorAll('.block--text')) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.parentElement.closest('a, code, pre') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    for (const node of nodes) {
      const parts = node.data.split(/(\[\d{1,3}\])/);
      if (parts.length === 1) continue;
      const pieces = parts.map((part) => {
        const match = /^\[(\d{1,3})\]$/.exec(part);
        if (!match || !indexes.has(match[1])) return part;
        const target = citationAnchor(message, match[1]);
        return el('a', { className: 'cite-ref', href: `#${target}`, text: part, onClick: (event) => focusCitation(event, target) });
      });
      node.replaceWith(...pieces);
    }
  }
}

function focusCitation(event, target) {
  const item = document.getElementById(target);
  if (!item) return;
  event.preventDefault();
  item.focus({ preventScroll: true });
  const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  item.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
}

function renderFeedback(block, message) {
  const questionId = uniqueId('fb');
  const group = el('div', { className: 'block block--feedback', role: 'group', 'aria-labelledby': questionId });
  const make = (value, emoji, key) =>
    el('button', { type: 'button', className: 'btn btn--feedback', 'aria-pressed': 'false', dataset: { value } }, [
      el('span', { 'aria-hidden': 'true', className: 'btn__emoji', text: emoji }),
      i18nText('span', key),
    ]);
  const up = make('up', '👍', 'useful');
  const down = make('down', '👎', 'notUseful');
  group.append(i18nText('span', 'feedbackQuestion', { id: questionId, className: 'feedback__question' }), el('span', { className: 'feedback__buttons' }, [up, down]));
  const control = answerable(group, message, block.actionId, (answer) => {
    for (const button of [up, down]) button.setAttribute('aria-pressed', String(!!answer && button.dataset.value === answer.value));
  });
  up.addEventListener('click', () => control.submit('up', `👍 ${t('useful')}`));
  down.addEventListener('click', () => control.submit('down', `👎 ${t('notUseful')}`));
  return group;
}

function renderFooter(footer) {
  return el('p', { className: 'message__footer' }, [
    footer.aiGenerated ? i18nText('span', 'aiBadge', { className: 'badge badge--ai' }) : null,
    footer.aiGenerated ? ' ' : null,
    el('span', { text: footer.text }),
  ]);
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

function rememberConversation(conversationId) {
  if (!conversationId || conversationId === INBOX) return;
  state.conversationId = conversationId;
  writeStore(localStorage, KEYS.conversationId, conversationId);
}

function sendText(text) {
  hideAlert();
  state.statusNote = '';
  const at = new Date().toISOString();
  const bubble = showUserMessage(text, { at });
  const key = recordTranscript({ kind: 'user', text, afterId: state.lastBotId, at });
  return enqueue(async () => {
    const body = { userId: state.userId, text, ...(state.conversationId ? { conversationId: state.conversationId } : {}) };
    try {
      await exchange('/api/web/messages', body, (done) => rememberConversation(done.conversationId));
    } catch (error) {
      if (!error.partial) {
        bubble.remove();
        forgetTranscript(key);
        restoreComposerText(text);
      }
      reportError(error, error.partial ? null : submitComposer, { textKept: !error.partial });
    }
  });
}

function sendAction(message, actionId, value, label, control) {
  hideAlert();
  state.statusNote = '';
  const answer = { label, ...(value === undefined ? {} : { value }) };
  if (control) {
    control.lock(answer);
    rememberAnswer(message.id, actionId, answer);
  }
  const at = new Date().toISOString();
  // Answering a question in the middle of a long form must not pull the page to the bottom:
  // the answer is already shown in place ("Votre réponse : …").
  const bubble = showUserMessage(label, { at, follow: isNearBottom() });
  const key = recordTranscript({ kind: 'user', text: label, afterId: state.lastBotId, at });
  return enqueue(async () => {
    const body = {
      userId: state.userId,
      conversationId: message.conversationId || state.conversationId || INBOX,
      actionId,
      messageId: message.id,
      ...(value === undefined ? {} : { value }),
    };
    try {
      await exchange('/api/web/actions', body);
    } catch (error) {
      if (!error.partial) {
        bubble.remove();
        forgetTranscript(key);
        if (control) {
          control.unlock();
          rememberAnswer(message.id, actionId, null);
        }
      }
      reportError(error, error.partial ? null : () => sendAction(message, actionId, value, label, control));
    }
  });
}

function restoreComposerText(text) {
  const current = ui.input.value;
  ui.input.value = current.trim() === '' ? text : `${text}\n${current}`;
  autosize();
}

function submitComposer() {
  const text = ui.input.value;
  if (text.trim() === '') {
    ui.input.focus();
    return;
  }
  ui.input.value = '';
  autosize();
  sendText(text);
}

function sendCommand(key) {
  sendText(t(key));
}

function startNewConversation() {
  state.conversationId = null;
  writeStore(localStorage, KEYS.conversationId, null);
  hideWelcome();
  showDivider();
  recordTranscript({ kind: 'divider', afterId: state.lastBotId });
  scrollToEnd(true);
  setStatusNote(t('newConversationStarted'));
  ui.input.focus();
}

// ---------------------------------------------------------------------------
// Errors and access token
// ---------------------------------------------------------------------------

function reportError(error, retry, options = {}) {
  if (error instanceof ApiError && error.status === 401) {
    askForToken(retry, Boolean(state.token));
    return;
  }
  let text;
  let canRetry = Boolean(retry);
  if (error instanceof NetworkError) {
    text = error.partial ? t('interrupted') : t('network');
    if (error.partial) canRetry = false;
  } else if (error instanceof ApiError && error.status === 413) {
    const { length, limit } = error.details;
    text = typeof length === 'number' && typeof limit === 'number' ? t('tooLong', { length: formatNumber(length), limit: formatNumber(limit) }) : t('tooLarge');
    canRetry = false;
  } else if (error instanceof ApiError && error.status === 400) {
    text = t('invalid');
    canRetry = false;
  } else if (error instanceof ApiError && error.status === 503) {
    text = t('unavailable');
  } else {
    text = `${t('serverError')}${error.ref ? ` ${t('reference', { ref: error.ref })}` : ''}`;
  }
  if (options.textKept) text = `${text} ${t('textKept')}`;
  showAlert(text, canRetry ? retry : null);
}

function showAlert(text, retry) {
  ui.alertText.textContent = text;
  state.retry = retry;
  ui.alertRetry.hidden = !retry;
  ui.alert.hidden = false;
}

function hideAlert() {
  ui.alert.hidden = true;
  state.retry = null;
}

function askForToken(retry, rejected) {
  state.afterToken = retry;
  if (rejected) {
    state.token = null;
    writeStore(sessionStorage, KEYS.token, null);
  }
  ui.tokenError.hidden = !rejected;
  ui.tokenError.textContent = rejected ? t('tokenRejected') : '';
  ui.tokenForm.hidden = false;
  ui.tokenInput.focus();
}

function submitToken(event) {
  event.preventDefault();
  const token = ui.tokenInput.value.trim();
  if (!token) {
    ui.tokenError.textContent = t('tokenEmpty');
    ui.tokenError.hidden = false;
    ui.tokenInput.focus();
    return;
  }
  state.token = token;
  writeStore(sessionStorage, KEYS.token, token);
  ui.tokenInput.value = '';
  ui.tokenForm.hidden = true;
  const retry = state.afterToken;
  state.afterToken = null;
  // EventSource cannot send the Authorization header: switch to polling.
  stopLive();
  if (retry) retry();
  if (!state.historyLoaded) return;
  startPolling();
  ui.input.focus();
}

// ---------------------------------------------------------------------------
// History and live delivery
// ---------------------------------------------------------------------------

async function fetchMessagesAfter(after) {
  const all = [];
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { after: cursor } : {}) });
    const response = await apiFetch(`/api/web/users/${encodeURIComponent(state.userId)}/messages?${query}`, {
      headers: { accept: 'application/json' },
    });
    const json = await response.json();
    const messages = Array.isArray(json.messages) ? json.messages : [];
    all.push(...messages);
    cursor = json.cursor || cursor;
    if (messages.length < PAGE_SIZE) break;
  }
  return { messages: all, cursor };
}

async function loadHistory() {
  let result;
  try {
    result = await fetchMessagesAfter(null);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return askForToken(loadHistory, Boolean(state.token));
    showAlert(t('historyFailed'), loadHistory);
    return;
  }
  hideAlert();
  state.cursor = result.cursor;
  state.restoring = true;
  try {
    restoreConversation(result.messages);
  } finally {
    state.restoring = false;
  }
  state.historyLoaded = true;
  if (result.messages.length === 0 && ui.log.childElementCount === 0) ui.welcome.hidden = false;
  scrollToEnd(true, true);
  startLive();
}

/** Interleaves the bot's history with what the person wrote in this tab, each after the bot message that preceded it. */
function restoreConversation(messages) {
  const transcript = readTranscript();
  const knownIds = new Set(messages.map((m) => m.id));
  const byAnchor = new Map();
  for (const entry of transcript) {
    const anchor = entry.afterId && knownIds.has(entry.afterId) ? entry.afterId : entry.afterId ? undefined : null;
    if (anchor === undefined) continue;
    if (!byAnchor.has(anchor)) byAnchor.set(anchor, []);
    byAnchor.get(anchor).push(entry);
  }
  const replay = (anchor) => {
    for (const entry of byAnchor.get(anchor) || []) {
      if (entry.kind === 'divider') showDivider();
      else if (typeof entry.text === 'string') showUserMessage(entry.text, { at: entry.at });
    }
  };
  replay(null);
  for (const message of messages) {
    if (showMessage(message)) replay(message.id);
  }
}

function setLiveState(value) {
  document.documentElement.dataset.live = value;
  setStatusNote(value === 'reconnecting' ? t('reconnecting') : '');
}

function startLive() {
  stopLive();
  if (state.token || typeof EventSource === 'undefined') {
    startPolling();
    return;
  }
  const query = state.cursor ? `?after=${encodeURIComponent(state.cursor)}` : '';
  const source = new EventSource(`/api/web/users/${encodeURIComponent(state.userId)}/stream${query}`);
  state.eventSource = source;
  setLiveState('connecting');
  source.addEventListener('ready', () => setLiveState('live'));
  source.addEventListener('message', (event) => {
    try {
      showMessage(JSON.parse(event.data));
    } catch {
      // A malformed event is skipped; the history catches up on reload.
    }
    if (event.lastEventId) state.cursor = event.lastEventId;
  });
  source.addEventListener('bye', () => setLiveState('reconnecting'));
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // Refused (e.g. a token became required): fall back to polling, which reports why.
      state.eventSource = null;
      startPolling();
    } else {
      setLiveState('reconnecting');
    }
  });
}

function stopLive() {
  state.eventSource?.close();
  state.eventSource = null;
  clearInterval(state.pollTimer);
  state.pollTimer = null;
}

function startPolling() {
  clearInterval(state.pollTimer);
  setLiveState('polling');
  state.pollTimer = setInterval(poll, POLL_MS);
}

async function poll() {
  try {
    const result = await fetchMessagesAfter(state.cursor);
    state.cursor = result.cursor;
    result.messages.forEach(showMessage);
    if (document.documentElement.dataset.live !== 'polling') setLiveState('polling');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      clearInterval(state.pollTimer);
      askForToken(null, Boolean(state.token));
    } else if (error instanceof ApiError && error.status === 400) {
      // The cursor is no longer known (store reset): list again from the start, ids de-duplicate.
      state.cursor = null;
    } else {
      setLiveState('reconnecting');
    }
  }
}

// ---------------------------------------------------------------------------
// Composer and page wiring
// ---------------------------------------------------------------------------

function autosize() {
  ui.input.style.height = 'auto';
  ui.input.style.height = `${Math.min(ui.input.scrollHeight + 2, 200)}px`;
}

function wire() {
  ui.composer.addEventListener('submit', (event) => {
    event.preventDefault();
    submitComposer();
  });
  ui.input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitComposer();
    }
  });
  ui.input.addEventListener('input', autosize);
  ui.skipLink.addEventListener('click', (event) => {
    event.preventDefault();
    ui.input.focus();
  });
  $('btn-help').addEventListener('click', () => sendCommand('cmdHelp'));
  $('btn-about').addEventListener('click', () => sendCommand('cmdAbout'));
  $('btn-new').addEventListener('click', startNewConversation);
  ui.alertRetry.addEventListener('click', () => {
    const retry = state.retry;
    hideAlert();
    retry?.();
  });
  ui.alertClose.addEventListener('click', () => {
    hideAlert();
    ui.input.focus();
  });
  ui.tokenForm.addEventListener('submit', submitToken);
}

wire();
loadHistory();
