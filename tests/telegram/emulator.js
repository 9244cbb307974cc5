'use strict';
// Routes put in front of telegram-test-api 4.2.1's own, so that its emulator answers the way the
// real Bot API does wherever teloxide 0.17 (teloxide-core 0.13) parses the answer, plus /testing/…
// routes through which a test plays the users and reads what the bot did. README.md lists them.
//
// Why not the package's own bot routes: its getMe lacks is_bot and the capability flags, its
// sendMessage answers `date` in milliseconds without `from`, its getUpdates ignores offset and
// timeout, and any other method answers HTTP 500 {"message": …}, on which teloxide also sleeps 10 s.
// We keep its storage (tg.storage.userMessages / botMessages and its id counters) so that its
// user-side routes (/getUpdates, /getUpdatesHistory, /sendMessage…) keep working alongside ours.

const { EventEmitter } = require('events');
const TelegramServer = require('telegram-test-api'); // the package exports the class itself

const BOT_FIRST_NAME = 'Guichet Test';
const BOT_USERNAME = 'guichet_test_bot';
// Telegram's "GroupAnonymousBot": the sender of the service message in a freshly migrated supergroup.
const GROUP_ANONYMOUS_BOT = { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' };
const DEFAULT_USER = { user_id: 1001, first_name: 'Test', language_code: 'fr' };

const TEXT_LIMIT = 4096; // characters of a text message, after entity parsing
const CAPTION_LIMIT = 1024;
const NOT_MODIFIED = 'Bad Request: message is not modified: specified new message content and reply markup '
  + 'are exactly the same as a current content and reply markup of the message';
const CONFLICT = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const QUERY_INVALID = 'Bad Request: query is too old and response timeout expired or query id is invalid';
const WEBHOOK_ACTIVE = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";

// A Bot API error: teloxide maps `description` to an ApiError variant by its exact text, and
// `parameters` must hold exactly one of retry_after / migrate_to_chat_id (an externally tagged enum).
class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    Object.assign(this, { code, description, parameters });
  }
}
const fail = (code, description, parameters) => { throw new ApiError(code, description, parameters); };

const now = () => Date.now();
const seconds = (ms) => Math.floor(ms / 1000);
const int = (v, dflt) => (v === undefined || v === null || v === '' ? dflt : Math.trunc(Number(v)));
// Form and query values arrive as strings; teloxide's multipart sends nested objects as JSON text.
const json = (v) => {
  if (typeof v !== 'string') return v;
  try { return JSON.parse(v); } catch (e) { return fail(400, `Bad Request: can't parse JSON: ${v.slice(0, 40)}`); }
};
// Message.reply_markup only ever holds an inline keyboard, and Telegram drops an empty one.
const inlineMarkup = (m) => (m && Array.isArray(m.inline_keyboard) && m.inline_keyboard.length ? m : undefined);
const drop = (o) => { for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]; return o; };
const isNumericId = (v) => /^-?\d+$/.test(String(v));

function freshState() {
  return {
    chats: new Map(),       // chat id -> Chat JSON, as last seen in an update a test created
    users: new Map(),       // user id -> User JSON
    chatState: new Map(),   // chat id -> blocked | deactivated | kicked | left | not_found
    migratedTo: new Map(),  // old group id -> supergroup id
    members: new Map(),     // `${chat}:${user}` -> creator | administrator | member | restricted | left | kicked
    rateLimits: new Map(),  // chat id, or '*' for every chat -> { retry_after, count }
    holds: new Map(),       // lower-cased method -> { ms, count }: answers held after the method ran
    commands: new Map(),    // `${token}|${scope}|${lang}` -> { token, scope, language_code, commands }
    acked: new Map(),       // token -> lowest update_id not yet confirmed by an offset
    callbacks: new Set(),   // callback_query ids issued and not yet answered
    files: new Map(),       // file_id -> { data, file_name, mime_type }
    webhooks: new Map(),    // token -> { url, secret_token, last_error_date?, last_error_message? }
    log: [],                // every bot-side request
    nextFile: 1,
  };
}

// The package's express app calls every function of its `routes` array with (app, server) in its
// constructor; server.js puts this one first so that our handlers see requests before the package's.
function install(app, tg) {
  let s = freshState();
  const changed = new EventEmitter(); // 'user' (an update) and 'bot' (a bot message) events, for waits
  changed.setMaxListeners(0);
  const polls = new Map(); // token -> the getUpdates request being held open

  // Body-parser errors (bad JSON…) would otherwise reach the package's handler: HTTP 500 {"message"}.
  app.use((err, req, res, _next) => {
    res.status(400).json({ ok: false, error_code: 400, description: `Bad Request: ${err.message}` });
  });

  // ---------------------------------------------------------------- users, chats, members

  const botUser = (token) => ({ id: int(String(token).split(':')[0], 0), is_bot: true,
    first_name: BOT_FIRST_NAME, username: BOT_USERNAME });

  // In a private chat the user is the chat: either id gives the other.
  function userFrom(p) {
    const id = int(p.user_id, Number(p.chat_id) > 0 ? Number(p.chat_id) : DEFAULT_USER.user_id);
    const known = s.users.get(String(id)) || {};
    const user = drop({
      id, is_bot: false,
      first_name: p.first_name ?? known.first_name ?? DEFAULT_USER.first_name,
      last_name: p.last_name ?? known.last_name,
      username: p.username ?? known.username,
      // null in the request leaves it out, like a user whose client sends none.
      language_code: p.language_code === null ? undefined
        : (p.language_code ?? known.language_code ?? DEFAULT_USER.language_code),
    });
    s.users.set(String(id), user);
    return user;
  }

  // A chat never seen in an update gets the type its id implies: > 0 private, -100… supergroup.
  function chatFor(id) {
    const known = s.chats.get(String(id));
    if (known) return known;
    const n = Number(id);
    if (n > 0) return { id: n, type: 'private', first_name: (s.users.get(String(n)) || {}).first_name || `User ${n}` };
    if (String(id).startsWith('-100')) return { id: n, type: 'supergroup', title: `Supergroup ${n}` };
    return { id: n, type: 'group', title: `Group ${n}` };
  }

  function rememberChat(p, user) {
    const type = p.chat_type || (p.chat_id === undefined ? 'private' : chatFor(p.chat_id).type);
    if (!['private', 'group', 'supergroup'].includes(type)) fail(400, `chat_type must be private, group or supergroup`);
    const id = int(p.chat_id, type === 'private' ? user.id : undefined);
    if (!Number.isFinite(id)) fail(400, 'chat_id is required for a group or supergroup');
    if (s.migratedTo.has(String(id))) fail(400, `chat ${id} was migrated to ${s.migratedTo.get(String(id))}`);
    const chat = type === 'private'
      ? drop({ id, type, first_name: user.first_name, last_name: user.last_name, username: user.username })
      : drop({ id, type, title: p.chat_title || (s.chats.get(String(id)) || {}).title || `Group ${id}` });
    s.chats.set(String(id), chat);
    return chat;
  }

  // ChatMember JSON: teloxide requires every permission flag of administrator and restricted.
  function chatMember(user, status) {
    switch (status) {
      case 'creator': return { user, status, is_anonymous: false };
      case 'administrator': return { user, status, can_be_edited: false, is_anonymous: false,
        can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true,
        can_restrict_members: true, can_promote_members: false, can_change_info: true,
        can_invite_users: true, can_post_stories: false, can_edit_stories: false,
        can_delete_stories: false, can_pin_messages: true, can_manage_topics: false };
      case 'member': return { user, status };
      case 'restricted': return { user, status, is_member: true, until_date: 0, can_send_messages: true,
        can_send_audios: false, can_send_documents: false, can_send_photos: false, can_send_videos: false,
        can_send_video_notes: false, can_send_voice_notes: false, can_send_polls: false,
        can_send_other_messages: false, can_add_web_page_previews: false, can_change_info: false,
        can_invite_users: false, can_pin_messages: false, can_manage_topics: false };
      case 'left': return { user, status };
      case 'kicked': return { user, status, until_date: 0 };
      default: return fail(400, `unknown chat member status ${status}`);
    }
  }

  // ---------------------------------------------------------------- user updates

  // Updates live in the package's store so that its /getUpdatesHistory sees them too; `update` holds
  // the exact Update JSON (one key besides update_id: teloxide's UpdateKind reads only the first).
  function pushUpdate(token, payload, extra = {}) {
    if (!token) fail(400, 'token is required');
    const update = { update_id: tg.updateId, ...payload };
    tg.storage.userMessages.push({ time: now(), botToken: String(token), updateId: tg.updateId,
      messageId: payload.message ? payload.message.message_id : null, isRead: false,
      message: payload.message || { chat: {} }, ...extra, update });
    tg.updateId += 1;
    tg.emit('AddedUserMessage'); // wakes long polls, and the package's own waitUserMessage()
    return update;
  }

  function newMessage(fields) {
    const message = { message_id: tg.messageId, date: seconds(now()), ...fields };
    tg.messageId += 1;
    return message;
  }

  // The package's own user routes store raw client objects: give them the fields teloxide requires.
  function formatUpdate(entry) {
    if (entry.update) return entry.update;
    const u = TelegramServer.formatUpdate(entry);
    const fix = (m) => {
      if (!m) return;
      delete m.botToken;
      if (m.message_id === undefined) m.message_id = entry.messageId;
      m.date = m.date > 1e11 ? seconds(m.date) : (m.date || seconds(entry.time));
    };
    fix(u.message);
    if (u.callback_query) {
      fix(u.callback_query.message);
      u.callback_query.chat_instance = `ci${(u.callback_query.message?.chat || {}).id}`;
    }
    return u;
  }

  const pending = (token) => tg.storage.userMessages
    .filter((e) => e.botToken === token && e.updateId >= (s.acked.get(token) || 0))
    .sort((a, b) => a.updateId - b.updateId);

  tg.on('AddedUserMessage', () => changed.emit('user'));
  tg.on('AddedUserCommand', () => changed.emit('user'));
  tg.on('AddedUserCallbackQuery', () => changed.emit('user'));

  // ---------------------------------------------------------------- bot messages

  function findBotMessage(token, chatId, messageId) {
    return tg.storage.botMessages.find((e) => e.botToken === token && e.sent
      && String(e.message.chat_id) === String(chatId) && e.messageId === int(messageId, -1));
  }

  // Stored through the package (its user-side /getUpdates {token, chatId} then sees it); `sent` is
  // the real Message answered to the bot, which callbacks carry and edits change.
  function storeBotMessage(token, method, chatId, raw, content) {
    tg.addBotMessage(drop({ ...raw, chat_id: Number(chatId) }), token);
    const entry = tg.storage.botMessages[tg.storage.botMessages.length - 1];
    entry.method = method;
    entry.sent = drop({ message_id: entry.messageId, from: botUser(token), chat: chatFor(chatId),
      date: seconds(entry.time), ...content, reply_markup: inlineMarkup(raw.reply_markup) });
    changed.emit('bot');
    return entry.sent;
  }

  // Blocked users, kicked bots, migrated groups and flood control, as the test configured them.
  function checkChat(chatId, { floodControlled = false, stateErrors = true } = {}) {
    if (chatId === undefined || chatId === '') fail(400, 'Bad Request: chat_id is empty');
    const key = String(chatId);
    if (!isNumericId(key) || s.chatState.get(key) === 'not_found') fail(400, 'Bad Request: chat not found');
    if (s.migratedTo.has(key)) {
      fail(400, 'Bad Request: group chat was upgraded to a supergroup chat',
        { migrate_to_chat_id: Number(s.migratedTo.get(key)) });
    }
    const kind = chatFor(key).type === 'supergroup' ? 'supergroup' : 'group';
    switch (stateErrors && s.chatState.get(key)) {
      case 'blocked': fail(403, 'Forbidden: bot was blocked by the user'); break;
      case 'deactivated': fail(403, 'Forbidden: user is deactivated'); break;
      case 'kicked': fail(403, `Forbidden: bot was kicked from the ${kind} chat`); break;
      case 'left': fail(403, `Forbidden: bot is not a member of the ${kind} chat`); break;
      default:
    }
    const limit = floodControlled && (s.rateLimits.get(key) || s.rateLimits.get('*'));
    if (limit && limit.count > 0) {
      limit.count -= 1;
      fail(429, `Too Many Requests: retry after ${limit.retry_after}`, { retry_after: limit.retry_after });
    }
    return key;
  }

  // What the real API refuses in a text or caption: empty, too long, and markup it cannot parse
  // (conservative: only what Telegram certainly rejects). Returns the text as Telegram then shows it
  // in Message.text: the markup is gone (we leave out the `entities` it becomes).
  function visibleText(text, parseMode, limit, what) {
    if (what === 'text' && !text.trim()) fail(400, 'Bad Request: message text is empty');
    const mode = String(parseMode || '').toLowerCase();
    const visible = mode === 'html' ? htmlVisible(text) : mode === 'markdownv2' ? markdownV2Visible(text) : text;
    if (visible.length > limit) fail(400, what === 'text' ? 'Bad Request: message is too long' : 'Bad Request: message caption is too long');
    return visible;
  }

  // ---------------------------------------------------------------- files (multipart)

  const MIME = { csv: 'text/csv', txt: 'text/plain', pdf: 'application/pdf', json: 'application/json',
    png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', html: 'text/html', zip: 'application/zip',
    wav: 'audio/wav', mp3: 'audio/mpeg', ogg: 'audio/ogg' };

  function fileMeta(f, kind) {
    if (typeof f === 'string') return { file_id: f, file_unique_id: `u_${f.slice(-16)}` }; // file_id or URL
    const id = `file${s.nextFile++}`;
    const ext = (f.filename || '').split('.').pop().toLowerCase();
    const mime = (f.contentType !== 'application/octet-stream' && f.contentType) || MIME[ext] || f.contentType;
    s.files.set(id, { data: f.data, file_name: f.filename, mime_type: mime });
    const meta = { file_id: id, file_unique_id: `u_${id}`, file_size: f.data.length };
    return kind === 'document' ? drop({ ...meta, file_name: f.filename || undefined, mime_type: mime }) : meta;
  }

  const sendFile = (kind) => (p, c) => {
    const chatId = checkChat(p.chat_id, { floodControlled: true });
    if (!p[kind]) fail(400, `Bad Request: there is no ${kind} in the request`);
    const caption = p.caption === undefined ? undefined : String(p.caption);
    const meta = fileMeta(p[kind], kind);
    // One size only; real photos come in several, the largest last.
    const media = kind === 'document' ? meta : [{ ...meta, width: 320, height: 320 }];
    return storeBotMessage(c.token, c.method, chatId,
      { caption, parse_mode: p.parse_mode, reply_markup: json(p.reply_markup), [kind]: media },
      { [kind]: media, caption: caption && visibleText(caption, p.parse_mode, CAPTION_LIMIT, 'caption') });
  };

  // ---------------------------------------------------------------- bot-side methods

  const methods = {
    getMe: (p, c) => ({ ...botUser(c.token), can_join_groups: true, can_read_all_group_messages: false,
      supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false }),

    sendMessage(p, c) {
      const chatId = checkChat(p.chat_id, { floodControlled: true });
      const text = p.text === undefined ? '' : String(p.text);
      const visible = visibleText(text, p.parse_mode, TEXT_LIMIT, 'text');
      const entities = json(p.entities);
      return storeBotMessage(c.token, c.method, chatId,
        { text, parse_mode: p.parse_mode, reply_markup: json(p.reply_markup) },
        { text: visible, entities: Array.isArray(entities) && entities.length ? entities : undefined });
    },

    sendDocument: sendFile('document'),
    sendPhoto: sendFile('photo'),

    // Files users sent (and the bot's own): the path to download them from /file/bot<token>/<path>.
    getFile(p) {
      const f = s.files.get(String(p.file_id ?? ''));
      if (!f) fail(400, 'Bad Request: invalid file_id');
      return { file_id: String(p.file_id), file_unique_id: `u_${p.file_id}`, file_size: f.data.length, file_path: `files/${p.file_id}` };
    },

    editMessageText(p, c) {
      if (p.inline_message_id) return true; // inline messages answer True, not a Message
      const chatId = checkChat(p.chat_id, { floodControlled: true });
      const entry = findBotMessage(c.token, chatId, p.message_id)
        || fail(400, 'Bad Request: message to edit not found');
      if (entry.sent.text === undefined) fail(400, 'Bad Request: there is no text in the message to edit');
      const text = p.text === undefined ? '' : String(p.text);
      const visible = visibleText(text, p.parse_mode, TEXT_LIMIT, 'text');
      // Like Telegram, an edit without reply_markup removes the inline keyboard.
      const markup = inlineMarkup(json(p.reply_markup));
      if (visible === entry.sent.text && JSON.stringify(markup) === JSON.stringify(entry.sent.reply_markup)) fail(400, NOT_MODIFIED);
      return editStored(entry, { text, parse_mode: p.parse_mode }, visible, markup, 'EditedMessageText');
    },

    editMessageReplyMarkup(p, c) {
      if (p.inline_message_id) return true;
      const chatId = checkChat(p.chat_id, { floodControlled: true });
      const entry = findBotMessage(c.token, chatId, p.message_id)
        || fail(400, 'Bad Request: message to edit not found');
      const markup = inlineMarkup(json(p.reply_markup));
      if (JSON.stringify(markup) === JSON.stringify(entry.sent.reply_markup)) fail(400, NOT_MODIFIED);
      return editStored(entry, {}, entry.sent.text, markup, 'EditedMessageReplyMarkup');
    },

    deleteMessage(p) {
      const chatId = checkChat(p.chat_id);
      if (!tg.deleteMessage(Number(chatId), int(p.message_id, -1))) fail(400, 'Bad Request: message to delete not found');
      changed.emit('bot');
      return true;
    },

    sendChatAction(p) {
      checkChat(p.chat_id);
      return true;
    },

    answerCallbackQuery(p) {
      // An unknown id, or one already answered: what Telegram says for both.
      if (!s.callbacks.delete(String(p.callback_query_id))) fail(400, QUERY_INVALID);
      return true;
    },

    getChatMember(p, c) {
      const chatId = checkChat(p.chat_id, { stateErrors: false });
      if (!isNumericId(p.user_id ?? '')) fail(400, 'Bad Request: user not found');
      const userId = String(p.user_id);
      const user = userId === String(botUser(c.token).id) ? botUser(c.token)
        : s.users.get(userId) || { id: Number(userId), is_bot: false, first_name: `User ${userId}` };
      return chatMember(user, s.members.get(`${chatId}:${userId}`) || 'member');
    },

    setMyCommands(p, c) {
      const commands = json(p.commands);
      if (!Array.isArray(commands)) fail(400, 'Bad Request: parameter "commands" is required');
      for (const cmd of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(cmd.command || '')) fail(400, 'Bad Request: BOT_COMMAND_INVALID');
        if (!cmd.description || cmd.description.length > 256) fail(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
      }
      const { key, scope, lang } = commandKey(c.token, p);
      s.commands.set(key, { token: c.token, scope, language_code: lang,
        commands: commands.map((x) => ({ command: x.command, description: x.description })) });
      return true;
    },
    getMyCommands: (p, c) => (s.commands.get(commandKey(c.token, p).key) || { commands: [] }).commands,
    deleteMyCommands(p, c) { s.commands.delete(commandKey(c.token, p).key); return true; },

    // Webhooks are delivered only to loopback addresses (plain http allowed), never elsewhere.
    setWebhook(p, c) {
      if (!p.url) return methods.deleteWebhook(p, c);
      let url;
      try { url = new URL(String(p.url)); } catch (e) { fail(400, 'Bad Request: bad webhook: invalid URL'); }
      if (!/^https?:$/.test(url.protocol) || !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname)) {
        fail(400, 'Bad Request: bad webhook: Failed to resolve host: Name or service not known');
      }
      if (String(p.drop_pending_updates) === 'true') s.acked.set(c.token, tg.updateId);
      s.webhooks.set(c.token, { url: url.href, secret_token: p.secret_token });
      deliver(c.token);
      return true;
    },
    deleteWebhook(p, c) {
      if (String(p.drop_pending_updates) === 'true') s.acked.set(c.token, tg.updateId);
      s.webhooks.delete(c.token);
      return true;
    },
    getWebhookInfo(p, c) {
      const hook = s.webhooks.get(c.token) || { url: '' };
      return drop({ url: hook.url, has_custom_certificate: false, pending_update_count: pending(c.token).length,
        last_error_date: hook.last_error_date, last_error_message: hook.last_error_message });
    },

    getUpdates,
  };

  // entry.message keeps what the bot sent (markup and all), entry.sent what Telegram shows.
  function editStored(entry, fields, visible, markup, event) {
    entry.message = drop({ ...entry.message, ...fields, reply_markup: markup });
    entry.sent = drop({ ...entry.sent, text: visible, edit_date: seconds(now()), reply_markup: markup });
    entry.edits = (entry.edits || 0) + 1;
    tg.emit(event);
    changed.emit('bot');
    return entry.sent;
  }

  // Commands are kept per scope and language, exactly: getMyCommands does no fallback either.
  function commandKey(token, p) {
    const raw = json(p.scope);
    const scope = raw && raw.type && raw.type !== 'default'
      ? drop({ type: raw.type, chat_id: raw.chat_id, user_id: raw.user_id }) : { type: 'default' };
    const lang = p.language_code || '';
    return { key: `${token}|${JSON.stringify(scope)}|${lang}`, scope, lang };
  }

  // Real offset semantics: updates below `offset` are confirmed and never sent again; the others are
  // sent again until confirmed (the package's "read when fetched" would lose them). A request with a
  // `timeout` is held open until an update arrives or the timeout passes.
  function getUpdates(p, c) {
    const { token } = c;
    const offset = int(p.offset, 0);
    const limit = Math.min(Math.max(int(p.limit, 100), 1), 100);
    const timeout = Math.max(int(p.timeout, 0), 0);
    if (s.webhooks.has(token)) fail(409, WEBHOOK_ACTIVE);
    // Telegram ends a getUpdates still waiting when another one arrives for the same bot.
    if (polls.has(token)) polls.get(token).finish(new ApiError(409, CONFLICT));
    const ack = (id) => s.acked.set(token, Math.max(s.acked.get(token) || 0, id));
    if (offset > 0) ack(offset);
    if (offset < 0) { const last = pending(token).slice(offset); if (last.length) ack(last[0].updateId); }

    const take = () => {
      const list = pending(token).slice(0, limit);
      for (const e of list) e.isRead = true;
      return list.map(formatUpdate);
    };
    const first = take();
    if (first.length || timeout === 0) return first;

    return new Promise((resolve, reject) => {
      const poll = {
        finish(result) {
          clearTimeout(timer);
          changed.off('user', onUser);
          if (polls.get(token) === poll) polls.delete(token);
          if (result instanceof Error) reject(result); else resolve(result);
        },
      };
      const onUser = () => { const list = take(); if (list.length) poll.finish(list); };
      const timer = setTimeout(() => poll.finish([]), timeout * 1000);
      changed.on('user', onUser);
      polls.set(token, poll);
      c.res.on('close', () => { if (!c.res.writableEnded) poll.finish([]); }); // the bot gave up
    });
  }

  // Webhook delivery: one update at a time, in order, each POSTed until the bot answers 2xx (then it
  // is confirmed), retried every second otherwise, with the secret token header teloxide checks.
  const delivering = new Set();
  async function deliver(token) {
    if (delivering.has(token)) return;
    delivering.add(token);
    try {
      for (;;) {
        const hook = s.webhooks.get(token);
        const next = hook && pending(token)[0];
        if (!next) break;
        try {
          const headers = { 'content-type': 'application/json' };
          if (hook.secret_token) headers['x-telegram-bot-api-secret-token'] = hook.secret_token;
          const r = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(formatUpdate(next)),
            signal: AbortSignal.timeout(10000) });
          await r.arrayBuffer();
          if (!r.ok) throw new Error(`Wrong response from the webhook: ${r.status} ${r.statusText}`);
          next.isRead = true;
          s.acked.set(token, Math.max(s.acked.get(token) || 0, next.updateId + 1));
        } catch (err) {
          Object.assign(hook, { last_error_date: seconds(now()), last_error_message: err.message });
          await new Promise((resolve) => { setTimeout(resolve, 1000); });
        }
      }
    } finally {
      delivering.delete(token);
    }
  }
  changed.on('user', () => { for (const token of s.webhooks.keys()) deliver(token); });

  const byName = new Map(Object.entries(methods).map(([name, fn]) => [name.toLowerCase(), [name, fn]]));

  // ---------------------------------------------------------------- the bot-side route

  app.all('/bot:token/:method', async (req, res) => {
    const { token } = req.params;
    const entry = { time: now(), token, method: req.params.method, chat_id: undefined, status: undefined, params: {} };
    s.log.push(entry);
    const answer = (status, body) => {
      entry.status = status;
      if (!res.headersSent && !res.destroyed) res.status(status).json(body); // not to a bot that hung up
    };
    try {
      const params = { ...req.query, ...(req.is('multipart/form-data') ? await multipart(req) : req.body) };
      entry.chat_id = params.chat_id === undefined ? undefined : (isNumericId(params.chat_id) ? Number(params.chat_id) : params.chat_id);
      entry.params = loggable(params);
      // The real API answers 401 "Unauthorized" to a malformed token; teloxide maps it to InvalidToken.
      if (!/^\d+:[\w-]+$/.test(token)) fail(401, 'Unauthorized');
      const found = byName.get(req.params.method.toLowerCase()); // Bot API method names ignore case
      if (!found) fail(404, 'Not Found: method not found');
      const [method, fn] = found;
      const result = await fn(params, { token, method, req, res });
      // A held answer: the message is delivered, the bot hears of it late (or never, if it dies).
      const hold = s.holds.get(method.toLowerCase());
      if (hold && hold.count > 0) {
        hold.count -= 1;
        await new Promise((resolve) => setTimeout(resolve, hold.ms));
      }
      answer(200, { ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiError)) {
        console.error(`telegram emulator: ${req.params.method}:`, err);
        err = new ApiError(500, `Internal Server Error: ${err.message}`);
      }
      answer(err.code, drop({ ok: false, error_code: err.code, description: err.description, parameters: err.parameters }));
    }
  });

  // The log shows nested objects sent as JSON text (form, multipart) as objects, and files by size.
  const JSON_FIELDS = new Set(['reply_markup', 'entities', 'caption_entities', 'commands', 'scope', 'allowed_updates']);
  const loggable = (params) => Object.fromEntries(Object.entries(params).map(([k, v]) => {
    if (v && Buffer.isBuffer(v.data)) return [k, { file_name: v.filename, size: v.data.length }];
    try { return [k, JSON_FIELDS.has(k) && typeof v === 'string' ? JSON.parse(v) : v]; } catch (e) { return [k, v]; }
  }));

  // ---------------------------------------------------------------- test-control routes

  // Every /testing route takes its parameters from the JSON body and/or the query string.
  const TOKEN_ROUTES = new Set(['message', 'callback', 'migrate', 'my_chat_member', 'updates', 'redeliver']);
  const control = (path, fn) => app.all(`/testing/${path}`, async (req, res) => {
    try {
      const p = { ...req.query, ...req.body };
      if (TOKEN_ROUTES.has(path) && !p.token) fail(400, 'token (the bot token) is required');
      const result = await fn(p, req, res);
      if (!res.destroyed) res.json({ ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiError)) console.error('telegram emulator /testing:', err);
      res.status(400).json({ ok: false, description: err.description || err.message });
    }
  });

  const commandEntities = (text) => {
    const m = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined; // UTF-16 units, as JS
  };

  // A user's photo or document: `photo` or `document` holds the bytes in base64 (`file_name`,
  // `mime_type` optional); `file_size` may claim another size (Telegram reports it, the bytes may be
  // too large to download). The message then has a caption instead of a text.
  function userFile(p) {
    const kind = p.photo !== undefined ? 'photo' : p.document !== undefined ? 'document' : undefined;
    if (!kind) return {};
    const data = Buffer.from(String(p[kind]), 'base64');
    const meta = fileMeta({ data, filename: p.file_name || (kind === 'photo' ? 'photo.jpg' : 'file'),
      contentType: p.mime_type || 'application/octet-stream' }, kind);
    if (p.file_size !== undefined) meta.file_size = int(p.file_size, data.length);
    const caption = p.caption === undefined ? undefined : String(p.caption);
    return kind === 'photo' ? { photo: [{ ...meta, width: 640, height: 480 }], caption } : { document: meta, caption };
  }

  control('message', (p) => {
    const from = userFrom(p);
    const chat = rememberChat(p, from);
    const file = userFile(p);
    const text = file.caption !== undefined || file.photo || file.document ? undefined : String(p.text ?? '');
    const replyTo = p.reply_to_message_id !== undefined
      ? (findBotMessage(String(p.token), chat.id, p.reply_to_message_id) || fail(400, 'no such bot message')).sent : undefined;
    const message = newMessage(drop({ from, chat, text, entities: text === undefined ? undefined : commandEntities(text), reply_to_message: replyTo, ...file }));
    const update = pushUpdate(p.token, { message });
    return { update_id: update.update_id, message_id: message.message_id, update };
  });

  control('callback', (p) => {
    const token = String(p.token);
    const entry = findBotMessage(token, p.chat_id, p.message_id)
      || fail(400, `no message ${p.message_id} sent by the bot to chat ${p.chat_id}`);
    const buttons = ((entry.sent.reply_markup || {}).inline_keyboard || []).flat();
    const button = buttons.find((b) => (p.data !== undefined ? b.callback_data === String(p.data) : b.text === p.button_text));
    if (!button || button.callback_data === undefined) {
      fail(400, `message ${p.message_id} has no button with ${p.data !== undefined ? `callback_data ${p.data}` : `text ${p.button_text}`}`);
    }
    const from = userFrom(p);
    const id = String(tg.callbackId++);
    const callback = { id, from, message: entry.sent, chat_instance: `ci${entry.sent.chat.id}`, data: button.callback_data };
    s.callbacks.add(id);
    const update = pushUpdate(token, { callback_query: callback },
      { messageId: null, callbackId: id, callbackQuery: { from, message: entry.sent, data: button.callback_data } });
    return { update_id: update.update_id, callback_query_id: id, update };
  });

  // Telegram sends two service messages: one in the old group, one in the new supergroup.
  control('migrate', (p) => {
    const oldId = String(p.chat_id);
    const old = chatFor(oldId);
    if (old.type !== 'group') fail(400, `chat ${oldId} is a ${old.type}, not a group`);
    if (s.migratedTo.has(oldId)) fail(400, `chat ${oldId} was already migrated`);
    const newId = String(p.new_chat_id ?? `-100${oldId.replace('-', '')}`);
    const title = p.chat_title || old.title;
    const from = userFrom(p);
    const first = pushUpdate(p.token, { message: newMessage({ from, chat: { id: Number(oldId), type: 'group', title },
      migrate_to_chat_id: Number(newId) }) });
    s.migratedTo.set(oldId, newId);
    const superChat = { id: Number(newId), type: 'supergroup', title };
    s.chats.set(newId, superChat);
    for (const [k, v] of [...s.members]) if (k.startsWith(`${oldId}:`)) s.members.set(`${newId}:${k.split(':')[1]}`, v);
    const second = pushUpdate(p.token, { message: newMessage({ from: GROUP_ANONYMOUS_BOT, sender_chat: superChat,
      chat: superChat, migrate_from_chat_id: Number(oldId) }) });
    return { new_chat_id: Number(newId), update_ids: [first.update_id, second.update_id] };
  });

  // The bot's own membership changed: the user blocked/unblocked it, or it was added to/removed from
  // a group. Later sends then fail (or succeed again) the way they would on Telegram.
  control('my_chat_member', (p) => {
    const from = userFrom(p);
    const known = s.chats.get(String(p.chat_id));
    const chat = p.chat_type === undefined && known ? known : rememberChat(p, from);
    const bot = botUser(p.token);
    const newStatus = p.new_status || 'member';
    const update = pushUpdate(p.token, { my_chat_member: { chat, from, date: seconds(now()),
      old_chat_member: chatMember(bot, p.old_status || 'member'), new_chat_member: chatMember(bot, newStatus) } });
    const key = String(chat.id);
    const state = chat.type === 'private' ? { kicked: 'blocked' }[newStatus] : { kicked: 'kicked', left: 'left' }[newStatus];
    if (state) s.chatState.set(key, state); else s.chatState.delete(key);
    s.members.set(`${key}:${bot.id}`, newStatus);
    return { update_id: update.update_id, update };
  });

  control('chat_state', (p) => {
    const states = ['ok', 'blocked', 'deactivated', 'kicked', 'left', 'not_found'];
    if (!states.includes(p.state)) fail(400, `state must be one of ${states.join(', ')}`);
    if (p.state === 'ok') s.chatState.delete(String(p.chat_id)); else s.chatState.set(String(p.chat_id), p.state);
    return true;
  });

  control('rate_limit', (p) => {
    const limit = { retry_after: int(p.retry_after, 5), count: int(p.count, 1) };
    s.rateLimits.set(p.chat_id === undefined || p.chat_id === null ? '*' : String(p.chat_id), limit);
    return limit;
  });

  control('hold', (p) => {
    if (!p.method) fail(400, 'method is required');
    const hold = { ms: int(p.ms, 1000), count: int(p.count, 1) };
    s.holds.set(String(p.method).toLowerCase(), hold);
    return hold;
  });

  control('member', (p) => {
    chatMember({}, p.status); // validates the status
    s.members.set(`${p.chat_id}:${p.user_id}`, p.status);
    return true;
  });

  // What the bot sent (current state, after edits), oldest first. `after` keeps messages with a
  // greater message_id; `wait_ms` holds the request until at least one matches.
  control('sent', (p, req, res) => {
    const list = () => tg.storage.botMessages
      .filter((e) => e.sent && (p.token === undefined || e.botToken === String(p.token))
        && (p.chat_id === undefined || String(e.message.chat_id) === String(p.chat_id))
        && e.messageId > int(p.after, 0))
      .map((e) => drop({ message_id: e.messageId, chat_id: Number(e.message.chat_id), method: e.method, time: e.time,
        text: e.message.text, caption: e.message.caption, parse_mode: e.message.parse_mode, reply_markup: e.message.reply_markup,
        document: e.sent.document, photo: e.sent.photo, edits: e.edits || 0, message: e.sent }));
    return waitFor(list, 'bot', int(p.wait_ms, 0), res);
  });

  control('requests', (p) => s.log.filter((e) => (p.token === undefined || e.token === String(p.token))
    // Method names ignore case in the Bot API (teloxide sends "SendMessage").
    && (p.method === undefined || e.method.toLowerCase() === String(p.method).toLowerCase())
    && (p.chat_id === undefined || String(e.chat_id) === String(p.chat_id))
    && e.time >= int(p.since, 0)));

  control('commands', (p) => [...s.commands.values()].filter((e) => p.token === undefined || e.token === String(p.token)));

  // Telegram posts an update again when the webhook's answer was lost: the last `count` updates the
  // bot confirmed are POSTed to its webhook once more, as they were; returns the HTTP statuses.
  control('redeliver', async (p) => {
    const token = String(p.token);
    const hook = s.webhooks.get(token);
    if (!hook) fail(400, 'no webhook is set');
    const confirmed = tg.storage.userMessages
      .filter((e) => e.botToken === token && e.updateId < (s.acked.get(token) || 0))
      .sort((a, b) => a.updateId - b.updateId)
      .slice(-int(p.count, 1));
    const statuses = [];
    for (const entry of confirmed) {
      const headers = { 'content-type': 'application/json' };
      if (hook.secret_token) headers['x-telegram-bot-api-secret-token'] = hook.secret_token;
      const r = await fetch(hook.url, { method: 'POST', headers, body: JSON.stringify(formatUpdate(entry)) });
      await r.arrayBuffer();
      statuses.push(r.status);
    }
    return statuses;
  });

  control('updates', (p) => ({ confirmed_below: s.acked.get(String(p.token)) || 0,
    pending: pending(String(p.token)).map(formatUpdate) }));

  // Downloads, as Telegram serves them to bots. teloxide sends the file path as one segment, its
  // slash encoded (files%2Ffile3); a path in plain segments works too.
  app.get(/^\/file\/bot[^/]+\/(.+)$/, (req, res) => {
    let path;
    try { path = decodeURIComponent(req.params[0]); } catch { path = ''; }
    const f = s.files.get(path.replace(/^files\//, ''));
    if (!f) return res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
    return res.type(f.mime_type || 'application/octet-stream').send(f.data);
  });

  app.get('/testing/file/:file_id', (req, res) => {
    const f = s.files.get(req.params.file_id);
    if (!f) return res.status(404).json({ ok: false, description: 'no such file' });
    return res.type(f.mime_type || 'application/octet-stream').send(f.data);
  });

  control('reset', () => {
    // Update and message ids keep growing, so that a bot still running keeps a valid offset.
    s = freshState();
    tg.storage.userMessages = [];
    tg.storage.botMessages = [];
    return true;
  });

  app.all('/testing/*', (req, res) => res.status(404).json({ ok: false, description: `no test route ${req.path}` }));

  function waitFor(compute, event, waitMs, res) {
    const first = compute();
    if (first.length || waitMs <= 0) return first;
    return new Promise((resolve) => {
      const done = () => { clearTimeout(timer); changed.off(event, check); resolve(compute()); };
      const check = () => { if (compute().length) done(); };
      const timer = setTimeout(done, waitMs);
      changed.on(event, check);
      res.on('close', done);
    });
  }
}

// ---------------------------------------------------------------- parsing helpers

// multipart/form-data, as teloxide sends files: the file field holds "attach://<id>" and the bytes
// come in the part named <id> (curl -F doc=@file puts them in the field itself; both work).
function multipart(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      try { resolve(parseMultipart(Buffer.concat(chunks), req.headers['content-type'])); } catch (e) { reject(e); }
    });
  });
}

function parseMultipart(buf, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
  if (!m) fail(400, 'Bad Request: multipart boundary missing');
  const boundary = Buffer.from(`--${m[1] || m[2]}`);
  const fields = {};
  const files = {};
  let pos = buf.indexOf(boundary);
  while (pos !== -1) {
    const start = pos + boundary.length;
    if (buf.slice(start, start + 2).toString() === '--') break;
    const next = buf.indexOf(boundary, start);
    if (next === -1) break;
    const part = buf.slice(start + 2, next - 2); // CRLF after the boundary, CRLF before the next
    const headEnd = part.indexOf('\r\n\r\n');
    if (headEnd === -1) fail(400, 'Bad Request: malformed multipart part');
    const head = part.slice(0, headEnd).toString('utf8');
    const body = part.slice(headEnd + 4);
    const name = (/(?:^|;)\s*name="([^"]*)"/im.exec(head) || [])[1];
    const filename = /filename="((?:[^"\\]|\\.)*)"/i.exec(head); // raw UTF-8, quotes escaped (as reqwest writes it)
    const type = /^content-type:\s*([^\r\n;]+)/im.exec(head);
    if (filename) {
      files[name] = { filename: filename[1].replace(/\\(.)/g, '$1'), contentType: type ? type[1].trim() : undefined, data: body };
    } else {
      fields[name] = body.toString('utf8');
    }
    pos = next;
  }
  for (const [k, v] of Object.entries(fields)) if (v.startsWith('attach://')) fields[k] = files[v.slice(9)] || v;
  for (const [k, v] of Object.entries(files)) if (!(k in fields)) fields[k] = v;
  return fields;
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler',
  'a', 'code', 'pre', 'blockquote', 'tg-emoji']);

// The visible text of an HTML message; throws what Telegram answers to unknown, stray or unbalanced tags.
function htmlVisible(text) {
  const bad = (why, i) => fail(400, `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(text.slice(0, i))}`);
  const open = [];
  let out = '';
  let i = 0;
  const tag = /<(\/?)([a-zA-Z][\w-]*)(\s[^<>]*)?>/y;
  while (i < text.length) {
    if (text[i] !== '<') {
      const ent = /&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/y;
      ent.lastIndex = i;
      const e = ent.exec(text);
      out += e ? decodeEntity(e[1]) : text[i];
      i += e ? e[0].length : 1;
      continue;
    }
    tag.lastIndex = i;
    const t = tag.exec(text);
    if (!t) bad('Unexpected end of name token', i);
    const name = t[2].toLowerCase();
    if (!HTML_TAGS.has(name)) bad(`Unsupported ${t[1] ? 'end' : 'start'} tag "${name}"`, i);
    if (!t[1]) open.push(name);
    else if (open.pop() !== name) bad(`Unmatched end tag "${name}"`, i);
    i += t[0].length;
  }
  if (open.length) fail(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open.pop()}"`);
  return out;
}

function decodeEntity(name) {
  const named = { lt: '<', gt: '>', amp: '&', quot: '"' }[name];
  if (named) return named;
  const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
}

// MarkdownV2: these characters are never markup, so unescaped they are always refused (outside code
// and link URLs, where Telegram does not look for them). Returns roughly the visible text.
function markdownV2Visible(text) {
  let out = '';
  let code = null; // '`' or '```' while inside code
  let url = false; // inside the (…) of a link
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '\\') { out += text[i + 1] || ''; i += 1; continue; }
    if (code) {
      if (text.startsWith(code, i)) { i += code.length - 1; code = null; } else out += ch;
      continue;
    }
    if (url) { if (ch === ')') url = false; continue; }
    if (ch === '`') { code = text.startsWith('```', i) ? '```' : '`'; i += code.length - 1; continue; }
    if (ch === '(' && text[i - 1] === ']') { url = true; continue; }
    if ('.!#+-={}'.includes(ch) && !(ch === '!' && text[i + 1] === '[')) { // ![…](tg://emoji…) is markup
      fail(400, `Bad Request: can't parse entities: Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
    }
    if (!'*_~|[]'.includes(ch)) out += ch;
  }
  return out;
}

module.exports = { install, BOT_USERNAME, BOT_FIRST_NAME };
