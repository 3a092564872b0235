/** English texts. Same keys as `fr.ts`. */
import type { AboutParams, Catalog, DisclosureParams } from './fr.js';

export const en: Catalog = {
  'disclosure.title': '**Hello, I am Relais, an automated assistant that uses artificial intelligence (AI).**',
  'disclosure.body': (p: DisclosureParams): string =>
    [
      'I am not a person: my answers are produced automatically and may contain mistakes.',
      `- **Your data**: you are known by a pseudonym; your messages are only used to answer you and are deleted after ${p.retentionDays} days. They are not used to train any AI model.`,
      `- **Talk to a human**: ${p.humanContact}.`,
      p.privacyContact ? `- **Data protection**: ${p.privacyContact}.` : '',
      'Type **help** to see what I can do, or **about** to learn more.',
    ]
      .filter(Boolean)
      .join('\n'),
  'disclosure.channel': 'Hello everyone! Thank you for inviting me to this conversation.',

  'help.title': '**Here is what I can do**',
  'help.commandsIntro': 'Type one of these commands:',
  'help.assistant':
    '**Describe a situation you lived** (a hard placement, a conflict of values, fatigue…): I suggest questions to help you step back, drawing on the stories of former students, social workers and trainers, with their sources.',
  'help.soon': 'Coming here soon: answering your team’s surveys and keeping your logbook.',
  'help.cmd.help': 'show this help',
  'help.cmd.about': 'who I am, what I do with your data, how to reach a human',
  'help.cmd.language': 'change language (French, English)',
  'help.cmd.demo': 'see an example of every interface element (buttons, choices, scale…)',

  'about.title': (p: AboutParams): string => `**About Relais** (version ${p.version})`,
  'about.body': (p: AboutParams): string =>
    [
      'Relais is a conversational assistant **based on artificial intelligence**, free software, hosted by or for your institution in the European Union.',
      `- **Data**: pseudonymous identifiers, messages kept ${p.retentionDays} days then deleted, never reused to train a model. An audit log records processing, without message content.`,
      `- **Human**: ${p.humanContact}.`,
      p.privacyContact ? `- **Data protection officer**: ${p.privacyContact}.` : '',
      '- **Your rights** (GDPR): access, rectification, erasure, objection, with your institution.',
      p.fundingNotice ? `\n_${p.fundingNotice}_` : '',
    ]
      .filter(Boolean)
      .join('\n'),

  'language.changed': 'Noted: I will now talk to you in English.',
  'language.usage': 'Say which language: **language fr** (French) or **language en** (English).',

  'unknown.intro': 'I did not recognise that request.',
  'unknown.emptyMessage': 'Your message is empty.',

  'footer.bot': 'Relais · automated assistant (AI) · “about” for your data',
  'footer.ai': 'AI-generated answer: check it and keep your professional judgement.',

  'button.help': 'Help',
  'button.about': 'About',
  'button.demo': 'Demo',
  'button.otherLanguage': 'Français',

  'demo.intro':
    '**Interface preview.** This is how I show:\n- *formatted* text, with a [link](https://europa.eu) and some `code`;\n- buttons, choices, a scale, answer fields;\n- an image, cited sources [1] [2] and a footer.',
  'demo.button.primary': 'Primary',
  'demo.button.secondary': 'Secondary',
  'demo.single.label': 'Single choice: which time of the week suits you best?',
  'demo.single.options': ['Monday morning', 'Wednesday afternoon', 'Friday morning'],
  'demo.multi.label': 'Multiple choice: which tools do you use?',
  'demo.multi.options': ['E-mail', 'Spreadsheet', 'Word processor', 'Business software'],
  'demo.scale.label': 'Scale: how do you feel this week?',
  'demo.scale.min': 'Very bad',
  'demo.scale.max': 'Very good',
  'demo.number.label': 'Number: how many minutes did you save this week?',
  'demo.number.unit': 'minutes',
  'demo.text.label': 'Free text: any comment?',
  'demo.text.placeholder': 'Write here…',
  'demo.submit': 'Send',
  'demo.image.alt': 'Demonstration bar chart: three bars of increasing height',
  'demo.image.title': 'Example chart',
  'demo.citation1.title': 'Fictional demonstration story: a first placement in child protection',
  'demo.citation1.source': 'Former student · 2021 · fictional',
  'demo.citation1.excerpt': '“In the first weeks, I wrote everything down at night so as not to forget…”',
  'demo.citation2.title': 'Fictional demonstration story: welcoming without judging',
  'demo.citation2.source': 'Social worker · 2018 · fictional',
  'demo.citation2.excerpt': '“I learned to let silence settle.”',
  'demo.received': (answer: string): string => `Received: ${answer}`,
  'demo.feedback.up': 'Thank you for your positive feedback.',
  'demo.feedback.down': 'Thank you, your feedback helps us improve.',
  'demo.noAnswer': '(no answer)',

  'assistant.searching': 'Searching the stories…',
  'assistant.writing': 'Writing an answer…',
  'assistant.extractive.intro': '**Here are excerpts of stories close to your situation.** They are passages quoted as they are, not a written answer: see what resonates with you.',
  'assistant.extractive.notQuotable': '(the author did not allow quotation: story consulted, not quoted)',
  'assistant.questions': '**To step back:**',
  'assistant.noSources':
    'I found no story close enough to what you describe. You could rephrase with a few more words about the situation (the placement, what happened, how you felt).',
  'assistant.modelUnavailable': '_The language model is not answering right now: here are excerpts of stories instead._',
  'assistant.footer.extractive': 'Excerpts chosen automatically by an AI (search): keep your professional judgement.',
  'assistant.concern': '_What you are going through sounds heavy. If it becomes too much, talk to your tutor; in France, 3114 answers 24/7, free of charge._',
  'feedback.thanks.up': 'Thank you for your feedback.',
  'feedback.thanks.down': 'Thank you for your feedback. Would you like to say what was wrong? (optional)',
  'feedback.comment.label': 'Your comment (optional)',
  'feedback.comment.placeholder': 'For example: the stories did not match my situation…',
  'feedback.comment.submit': 'Send',
  'feedback.comment.thanks': 'Thank you, your comment is saved with the answer.',
  'feedback.unknown': 'I cannot find this answer (it may have been deleted after the retention period).',

  'error.generic': 'Sorry, something went wrong on my side. Try again in a moment; if it persists, report it with this code: {ref}.',
  'error.invalidInput': 'This answer is not valid. Check it and try again.',
  'error.tooLong': 'Your message is too long. Could you shorten it?',
  'error.unavailable': 'I am temporarily unavailable. Try again in a few minutes (code: {ref}).',
  'error.notFound': 'I cannot find what you are asking for.',
  'error.unknownAction': 'This button is no longer active. Type **help** to start again.',
};
