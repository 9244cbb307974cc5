#!/usr/bin/env bash
# Self-check of the Telegram Bot API emulator: starts server.js on a free port, exercises every route
# with curl and checks each answer's shape. Exits non-zero on any mismatch.
# Usage: bash tests/telegram/selfcheck.sh   (after `npm ci` in tests/telegram)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node_modules/telegram-test-api" ]; then
  echo "selfcheck: run 'npm ci' in $here first" >&2
  exit 2
fi

work="$(mktemp -d)"
# The server exits when its stdin closes: feed it from a FIFO held open on fd 3 while we run.
mkfifo "$work/stdin"
node "$here/server.js" 0 <"$work/stdin" >"$work/stdout" 2>"$work/stderr" &
pid=$!
exec 3>"$work/stdin"
hook_pid=
cleanup() {
  exec 3>&- || true
  [ -z "$hook_pid" ] || kill "$hook_pid" 2>/dev/null || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 100); do
  grep -q '^telegram-test-api listening on http://127.0.0.1:[0-9]*$' "$work/stdout" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
base="$(sed -n 's/^telegram-test-api listening on //p' "$work/stdout")"
[ -n "$base" ] || { echo "selfcheck: no ready line" >&2; exit 1; }
[ "$(wc -l <"$work/stdout")" -eq 1 ] || { echo "selfcheck: more than one line on stdout" >&2; exit 1; }
echo "emulator at $base"

T=123456:TEST-token_x   # bot token; the bot's user id is 123456
fails=0
status=0
body=

# call METHOD PATH [JSON]: sets $status and $body
call() {
  status=$(curl -sS -o "$work/body" -w '%{http_code}' -X "$1" -H 'content-type: application/json' \
    ${3:+--data-binary "$3"} "$base$2")
  body=$(cat "$work/body")
}
# check DESCRIPTION JS: an expression, or statements ending in `return …`, over `r` (the parsed
# body), `status` (HTTP) and `now` (Unix seconds)
check() {
  if BODY="$body" STATUS="$status" EXPR="$2" node -e '
      const r = JSON.parse(process.env.BODY); const status = Number(process.env.STATUS);
      const now = Date.now() / 1000;
      const js = /\breturn\b/.test(process.env.EXPR) ? process.env.EXPR : `return (${process.env.EXPR});`;
      process.exit(new Function("r", "status", "now", js)(r, status, now) ? 0 : 1);
    ' 2>/dev/null; then
    echo "ok   $1"
  else
    echo "FAIL $1"
    echo "     HTTP $status: ${body:0:600}"
    fails=$((fails + 1))
  fi
}
ms() { date +%s%3N; }

# --- getMe ---------------------------------------------------------------------------------------
call POST "/bot$T/getMe" '{}'
check "getMe is a full Me" 'status === 200 && r.ok === true && r.result.id === 123456 && r.result.is_bot === true
  && r.result.first_name && r.result.username === "guichet_test_bot" && r.result.can_join_groups === true
  && r.result.can_read_all_group_messages === false && r.result.supports_inline_queries === false
  && r.result.can_connect_to_business === false && r.result.has_main_web_app === false'
call GET "/bot$T/getMe"
check "getMe by GET" 'r.ok && r.result.is_bot'

# --- user message -> long poll -> offset -----------------------------------------------------------
call POST "/bot$T/getUpdates" '{"offset":0,"timeout":0}'
check "no update at first" 'r.ok && Array.isArray(r.result) && r.result.length === 0'

start=$(ms)
(sleep 0.5; curl -sS -o /dev/null -X POST -H 'content-type: application/json' \
  -d "{\"token\":\"$T\",\"text\":\"/start bonjour\",\"user_id\":42,\"first_name\":\"Amina\",\"language_code\":\"ar\"}" \
  "$base/testing/message") 3>&- &
call POST "/bot$T/getUpdates" '{"offset":0,"timeout":5,"allowed_updates":["message"]}'
elapsed=$(($(ms) - start))
wait $!
check "long poll returns the user message as it arrives ($elapsed ms)" "r.ok && r.result.length === 1 && $elapsed >= 400 && $elapsed < 3000"
check "update is a real Update" 'const u = r.result[0], m = u.message;
  return Number.isInteger(u.update_id) && Object.keys(u).length === 2 && Number.isInteger(m.message_id)
  && m.date > now - 60 && m.date < now + 60 && m.text === "/start bonjour"
  && m.chat.id === 42 && m.chat.type === "private" && m.chat.first_name === "Amina"
  && m.from.id === 42 && m.from.is_bot === false && m.from.first_name === "Amina" && m.from.language_code === "ar"
  && m.entities.length === 1 && m.entities[0].type === "bot_command" && m.entities[0].offset === 0 && m.entities[0].length === 6'
first_update=$(BODY="$body" node -e 'console.log(JSON.parse(process.env.BODY).result[0].update_id)')

call POST "/bot$T/getUpdates" "{\"offset\":$first_update,\"timeout\":0}"
check "an update not yet confirmed comes again" "r.result.length === 1 && r.result[0].update_id === $first_update"
call POST "/bot$T/getUpdates" "{\"offset\":$((first_update + 1)),\"timeout\":0}"
check "offset confirms it" 'r.ok && r.result.length === 0'
start=$(ms)
call POST "/bot$T/getUpdates" "{\"offset\":$((first_update + 1)),\"timeout\":1}"
elapsed=$(($(ms) - start))
check "long poll without update waits the timeout ($elapsed ms)" "r.ok && r.result.length === 0 && $elapsed >= 900 && $elapsed < 2500"
call POST "/testing/updates?token=$T"
check "/testing/updates: nothing pending" "r.ok && r.result.pending.length === 0 && r.result.confirmed_below === $((first_update + 1))"

# --- sendMessage --------------------------------------------------------------------------------
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"<b>Choisissez</b> &amp; confirmez","parse_mode":"HTML",
  "reply_markup":{"inline_keyboard":[[{"text":"Oui","callback_data":"yes"},{"text":"Non","callback_data":"no"}]]}}'
check "sendMessage answers a real Message" 'status === 200 && r.ok && Number.isInteger(r.result.message_id)
  && r.result.date > now - 60 && r.result.date < now + 60
  && r.result.from.id === 123456 && r.result.from.is_bot === true && r.result.from.username === "guichet_test_bot"
  && r.result.chat.id === 42 && r.result.chat.type === "private"
  && r.result.text === "Choisissez & confirmez"
  && r.result.reply_markup.inline_keyboard[0][1].callback_data === "no"'
msg=$(BODY="$body" node -e 'console.log(JSON.parse(process.env.BODY).result.message_id)')

call POST "/getUpdates" "{\"token\":\"$T\",\"chatId\":42}"
check "the package's user-side /getUpdates sees it, keyboard included" "r.ok && r.result.some((u) => u.messageId === $msg
  && u.message.reply_markup.inline_keyboard[0][0].text === 'Oui')"
call GET "/testing/sent?chat_id=42"
check "/testing/sent lists it with raw text, parse_mode, keyboard and time" "r.ok && r.result.length === 1
  && r.result[0].message_id === $msg && r.result[0].text === '<b>Choisissez</b> &amp; confirmez'
  && r.result[0].parse_mode === 'HTML' && r.result[0].reply_markup.inline_keyboard[0].length === 2
  && r.result[0].time > Date.now() - 60000 && r.result[0].method === 'sendMessage'"

call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"a <br> b","parse_mode":"HTML"}'
check "malformed HTML is refused like Telegram" 'status === 400 && r.ok === false && r.error_code === 400
  && r.description.startsWith("Bad Request: can'"'"'t parse entities")'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"Fin.","parse_mode":"MarkdownV2"}'
check "unescaped MarkdownV2 is refused" 'status === 400 && r.description.includes("reserved")'
call POST "/bot$T/sendMessage" "{\"chat_id\":42,\"text\":\"$(printf 'x%.0s' $(seq 4097))\"}"
check "text over 4096 characters is refused" 'status === 400 && r.description === "Bad Request: message is too long"'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":""}'
check "empty text is refused" 'status === 400 && r.description === "Bad Request: message text is empty"'

# --- callback -----------------------------------------------------------------------------------
call POST /testing/callback "{\"token\":\"$T\",\"chat_id\":42,\"message_id\":$msg,\"data\":\"yes\"}"
check "/testing/callback presses a button" 'r.ok && r.result.callback_query_id'
call POST /testing/callback "{\"token\":\"$T\",\"chat_id\":42,\"message_id\":$msg,\"data\":\"maybe\"}"
check "/testing/callback refuses a button that is not there" 'status === 400 && r.ok === false'
call POST "/bot$T/getUpdates" "{\"offset\":$((first_update + 1)),\"timeout\":5}"
check "the bot gets a real callback_query" "const q = r.result[0].callback_query; return r.result.length === 1
  && typeof q.id === 'string' && q.from.id === 42 && q.from.is_bot === false && typeof q.chat_instance === 'string'
  && q.data === 'yes' && q.message.message_id === $msg && q.message.chat.id === 42 && q.message.date > now - 60
  && q.message.from.is_bot === true && q.message.reply_markup.inline_keyboard[0][0].callback_data === 'yes'"
cb=$(BODY="$body" node -e 'const r = JSON.parse(process.env.BODY).result[0]; console.log(r.callback_query.id, r.update_id)')
call POST "/bot$T/answerCallbackQuery" "{\"callback_query_id\":\"${cb% *}\",\"text\":\"Noté\"}"
check "answerCallbackQuery answers true" 'status === 200 && r.ok && r.result === true'
call POST "/bot$T/answerCallbackQuery" "{\"callback_query_id\":\"${cb% *}\"}"
check "answering it twice is refused like Telegram" 'status === 400 && r.description.startsWith("Bad Request: query is too old")'
next_offset=$((${cb#* } + 1))

# --- edits --------------------------------------------------------------------------------------
call POST "/bot$T/editMessageText" "{\"chat_id\":42,\"message_id\":$msg,\"text\":\"Choisi : oui\",
  \"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Annuler\",\"callback_data\":\"undo\"}]]}}"
check "editMessageText answers the edited Message" "r.ok && r.result.message_id === $msg && r.result.text === 'Choisi : oui'
  && r.result.edit_date > now - 60 && r.result.reply_markup.inline_keyboard[0][0].callback_data === 'undo'"
call POST "/bot$T/editMessageText" "{\"chat_id\":42,\"message_id\":$msg,\"text\":\"Choisi : oui\",
  \"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"Annuler\",\"callback_data\":\"undo\"}]]}}"
check "the same edit again: message is not modified" 'status === 400 && r.description.startsWith("Bad Request: message is not modified")'
call POST "/bot$T/editMessageReplyMarkup" "{\"chat_id\":42,\"message_id\":$msg,\"reply_markup\":{\"inline_keyboard\":[]}}"
check "editMessageReplyMarkup answers the Message" "r.ok && r.result.message_id === $msg && r.result.text === 'Choisi : oui'"
call POST "/bot$T/editMessageText" '{"chat_id":42,"message_id":999999,"text":"x"}'
check "editing an unknown message" 'status === 400 && r.description === "Bad Request: message to edit not found"'
call POST "/bot$T/sendChatAction" '{"chat_id":42,"action":"typing"}'
check "sendChatAction" 'r.ok && r.result === true'

# --- groups, members, migration -----------------------------------------------------------------
call POST /testing/message "{\"token\":\"$T\",\"text\":\"/status@guichet_test_bot\",\"chat_id\":-4001,
  \"chat_type\":\"group\",\"chat_title\":\"Asso Bobigny\",\"user_id\":43,\"first_name\":\"Karim\"}"
check "/testing/message in a group" 'r.ok && r.result.update.message.chat.type === "group"
  && r.result.update.message.chat.title === "Asso Bobigny" && r.result.update.message.entities[0].length === 24'
call POST "/bot$T/sendMessage" '{"chat_id":-4001,"text":"Bonjour le groupe"}'
check "sendMessage to the group: chat type and title as seen" 'r.ok && r.result.chat.id === -4001
  && r.result.chat.type === "group" && r.result.chat.title === "Asso Bobigny"'
call POST "/bot$T/getChatMember" '{"chat_id":-4001,"user_id":43}'
check "getChatMember defaults to member" 'r.ok && r.result.status === "member" && r.result.user.id === 43 && r.result.user.first_name === "Karim"'
call POST /testing/member '{"chat_id":-4001,"user_id":43,"status":"administrator"}'
call POST "/bot$T/getChatMember" '{"chat_id":-4001,"user_id":43}'
check "getChatMember administrator, with every flag teloxide requires" 'r.ok && r.result.status === "administrator"
  && ["is_anonymous","can_be_edited","can_manage_chat","can_change_info","can_delete_messages","can_manage_video_chats",
      "can_invite_users","can_restrict_members","can_promote_members"].every((k) => typeof r.result[k] === "boolean")'
call POST /testing/member '{"chat_id":-4001,"user_id":44,"status":"creator"}'
call POST "/bot$T/getChatMember" '{"chat_id":-4001,"user_id":44}'
check "getChatMember creator" 'r.ok && r.result.status === "creator" && r.result.is_anonymous === false'
call POST "/bot$T/getChatMember" '{"chat_id":42,"user_id":42}'
check "getChatMember in a private chat: member" 'r.ok && r.result.status === "member"'

call POST /testing/migrate "{\"token\":\"$T\",\"chat_id\":-4001,\"user_id\":43}"
check "/testing/migrate" 'r.ok && r.result.new_chat_id === -1004001 && r.result.update_ids.length === 2'
call POST "/bot$T/getUpdates" "{\"offset\":$next_offset,\"timeout\":2}"
check "the bot gets both migration messages" 'r.result.length === 3 && r.result[1].message.migrate_to_chat_id === -1004001
  && r.result[1].message.chat.type === "group" && r.result[2].message.migrate_from_chat_id === -4001
  && r.result[2].message.chat.type === "supergroup" && r.result[2].message.sender_chat.id === -1004001'
next_offset=$(BODY="$body" node -e 'const r = JSON.parse(process.env.BODY).result; console.log(r[r.length - 1].update_id + 1)')
call POST "/bot$T/sendMessage" '{"chat_id":-4001,"text":"x"}'
check "sending to the old group: 400 with migrate_to_chat_id" 'status === 400 && r.error_code === 400
  && r.parameters.migrate_to_chat_id === -1004001 && Object.keys(r.parameters).length === 1'
call POST /testing/message "{\"token\":\"$T\",\"text\":\"dans le supergroupe\",\"chat_id\":-1004001,\"user_id\":43}"
check "further messages in the supergroup" 'r.ok && r.result.update.message.chat.type === "supergroup"'
call POST "/bot$T/sendMessage" '{"chat_id":-1004001,"text":"ok"}'
check "sendMessage to the supergroup" 'r.ok && r.result.chat.type === "supergroup" && r.result.chat.title === "Asso Bobigny"'

# --- injected errors ----------------------------------------------------------------------------
call POST /testing/chat_state '{"chat_id":42,"state":"blocked"}'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"x"}'
check "blocked: HTTP 403" 'status === 403 && r.ok === false && r.error_code === 403
  && r.description === "Forbidden: bot was blocked by the user" && !("parameters" in r)'
call POST /testing/chat_state '{"chat_id":42,"state":"deactivated"}'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"x"}'
check "deactivated: HTTP 403" 'status === 403 && r.description === "Forbidden: user is deactivated"'
call POST /testing/chat_state '{"chat_id":42,"state":"ok"}'
call POST /testing/chat_state '{"chat_id":-4002,"state":"kicked"}'
call POST "/bot$T/sendMessage" '{"chat_id":-4002,"text":"x"}'
check "kicked from a group: HTTP 403" 'status === 403 && r.description === "Forbidden: bot was kicked from the group chat"'
call POST /testing/chat_state '{"chat_id":4242,"state":"not_found"}'
call POST "/bot$T/sendMessage" '{"chat_id":4242,"text":"x"}'
check "chat not found: HTTP 400" 'status === 400 && r.description === "Bad Request: chat not found"'
call POST /testing/rate_limit '{"chat_id":42,"retry_after":7,"count":1}'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"x"}'
check "rate limit: HTTP 429 with retry_after" 'status === 429 && r.error_code === 429
  && r.description === "Too Many Requests: retry after 7" && r.parameters.retry_after === 7'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"x"}'
check "after K refusals sends pass again" 'status === 200 && r.ok'

call POST /testing/my_chat_member "{\"token\":\"$T\",\"chat_id\":42,\"old_status\":\"member\",\"new_status\":\"kicked\"}"
check "/testing/my_chat_member" 'r.ok'
call POST "/bot$T/getUpdates" "{\"offset\":$next_offset,\"timeout\":2}"
check "the bot gets my_chat_member" 'const u = r.result[r.result.length - 1].my_chat_member;
  return u.chat.id === 42 && u.chat.type === "private" && u.from.id === 42 && u.date > now - 60
  && u.old_chat_member.status === "member" && u.new_chat_member.status === "kicked" && u.new_chat_member.until_date === 0
  && u.new_chat_member.user.id === 123456'
call POST "/bot$T/sendMessage" '{"chat_id":42,"text":"x"}'
check "a user who blocked the bot: 403" 'status === 403 && r.description === "Forbidden: bot was blocked by the user"'
call POST /testing/chat_state '{"chat_id":42,"state":"ok"}'

# --- files --------------------------------------------------------------------------------------
printf 'date;créneau\n2026-12-01;09:00\n' >"$work/report.csv"
# As teloxide sends it: the field names an attachment, the bytes come in a part of that name.
status=$(curl -sS -o "$work/body" -w '%{http_code}' -F chat_id=42 -F caption=Export -F 'document=attach://abc123' \
  -F "abc123=@$work/report.csv;filename=report.csv" "$base/bot$T/sendDocument")
body=$(cat "$work/body")
check "sendDocument (multipart, attach://) answers a Message with a document" 'status === 200 && r.ok
  && r.result.document.file_name === "report.csv" && r.result.document.file_size > 0 && r.result.document.mime_type === "text/csv"
  && r.result.caption === "Export" && r.result.from.is_bot && r.result.date > now - 60'
file_id=$(BODY="$body" node -e 'console.log(JSON.parse(process.env.BODY).result.document.file_id)')
curl -sS "$base/testing/file/$file_id" | cmp -s - "$work/report.csv" && echo "ok   /testing/file returns the bytes" \
  || { echo "FAIL /testing/file returns the bytes"; fails=$((fails + 1)); }
printf '\x89PNG\r\n\x1a\n' >"$work/p.png"
status=$(curl -sS -o "$work/body" -w '%{http_code}' -F chat_id=42 -F "photo=@$work/p.png" "$base/bot$T/sendPhoto")
body=$(cat "$work/body")
check "sendPhoto answers a Message with photo sizes" 'status === 200 && r.result.photo.length >= 1
  && r.result.photo[0].width > 0 && typeof r.result.photo[0].file_unique_id === "string"'
call POST "/getUpdates" "{\"token\":\"$T\",\"chatId\":42}"
check "the user side sees the document and the photo" 'r.result.some((u) => u.message.document && u.message.document.file_name === "report.csv")
  && r.result.some((u) => Array.isArray(u.message.photo))'

# --- commands, webhook ----------------------------------------------------------------------------
call POST "/bot$T/setMyCommands" '{"commands":[{"command":"start","description":"Commencer"}],"language_code":"fr"}'
check "setMyCommands" 'r.ok && r.result === true'
call POST "/bot$T/setMyCommands" '{"commands":[{"command":"start","description":"Start"}],"scope":{"type":"all_private_chats"}}'
call POST "/bot$T/setMyCommands" '{"commands":[{"command":"Start","description":"x"}]}'
check "setMyCommands refuses an upper-case command" 'status === 400 && r.description === "Bad Request: BOT_COMMAND_INVALID"'
call POST "/bot$T/getMyCommands" '{"language_code":"fr"}'
check "getMyCommands reads them back" 'r.ok && r.result.length === 1 && r.result[0].command === "start" && r.result[0].description === "Commencer"'
call GET "/testing/commands?token=$T"
check "/testing/commands lists them by scope and language" 'r.ok && r.result.length === 2
  && r.result.some((c) => c.language_code === "fr" && c.scope.type === "default")
  && r.result.some((c) => c.scope.type === "all_private_chats")'
call POST "/bot$T/deleteMyCommands" '{"language_code":"fr"}'
call POST "/bot$T/getMyCommands" '{"language_code":"fr"}'
check "deleteMyCommands" 'r.ok && r.result.length === 0'
call POST "/bot$T/deleteWebhook" '{"drop_pending_updates":false}'
check "deleteWebhook" 'r.ok && r.result === true'
call POST "/bot$T/getWebhookInfo" '{}'
check "getWebhookInfo" 'r.ok && r.result.url === "" && r.result.has_custom_certificate === false && Number.isInteger(r.result.pending_update_count)'

# --- webhook -------------------------------------------------------------------------------------
# A webhook receiver on loopback: records each delivery (secret header and body) as a JSON line.
node -e '
  require("http").createServer((q, s) => { let b = ""; q.on("data", (c) => { b += c; }); q.on("end", () => {
    require("fs").appendFileSync(process.argv[1], JSON.stringify({ secret: q.headers["x-telegram-bot-api-secret-token"],
      update: JSON.parse(b) }) + "\n"); s.end(); }); })
    .listen(0, "127.0.0.1", function () { console.log(this.address().port); });
' "$work/hook.log" >"$work/hook.port" 3>&- &   # 3>&-: it must not hold the server's stdin open
hook_pid=$!
for _ in $(seq 50); do [ -s "$work/hook.port" ] && break; sleep 0.1; done
call POST "/bot$T/setWebhook" '{"url":"https://example.org/hook"}'
check "setWebhook refuses anything but loopback" 'status === 400 && r.description.startsWith("Bad Request: bad webhook")'
status=$(curl -sS -o "$work/body" -w '%{http_code}' -F "url=http://127.0.0.1:$(cat "$work/hook.port")/hook" \
  -F secret_token=s3cr3t -F drop_pending_updates=true "$base/bot$T/setWebhook")
body=$(cat "$work/body")
check "setWebhook (multipart, as teloxide sends it)" 'status === 200 && r.result === true'
call POST /testing/message "{\"token\":\"$T\",\"text\":\"par webhook\",\"user_id\":42}"
for _ in $(seq 50); do [ -s "$work/hook.log" ] && break; sleep 0.1; done
body=$(head -1 "$work/hook.log" 2>/dev/null || echo '{}'); status=200
check "the update is POSTed to the webhook with the secret token header" 'r.secret === "s3cr3t" && r.update.message.text === "par webhook"'
call POST "/bot$T/getWebhookInfo" '{}'
check "getWebhookInfo shows the webhook, nothing pending" 'r.ok && r.result.url.startsWith("http://127.0.0.1:") && r.result.pending_update_count === 0'
call POST "/bot$T/getUpdates" '{}'
check "getUpdates while a webhook is set: 409" 'status === 409 && r.description.startsWith("Conflict: can'"'"'t use getUpdates")'
call POST "/bot$T/deleteWebhook" '{}'
call POST "/bot$T/getWebhookInfo" '{}'
check "deleteWebhook removes it" 'r.ok && r.result.url === ""'

# --- errors of shape ----------------------------------------------------------------------------
call POST "/bot$T/sendSticker" '{"chat_id":42}'
check "unknown method: HTTP 404 in the Bot API shape" 'status === 404 && r.ok === false && r.error_code === 404
  && r.description === "Not Found: method not found"'
call GET "/bot$T/sendVoice?chat_id=42"
check "unknown method by GET too" 'status === 404 && r.ok === false'
call POST "/bot$T/sendMessage" '{not json'
check "malformed JSON: HTTP 400 in the Bot API shape" 'status === 400 && r.ok === false && r.error_code === 400'
call POST "/botnot-a-token/getMe" '{}'
check "malformed token: 401 Unauthorized" 'status === 401 && r.ok === false && r.description === "Unauthorized"'

# --- logs, reset --------------------------------------------------------------------------------
call GET "/testing/requests?method=sendMessage&chat_id=42"
check "/testing/requests logs each call with chat_id, time in ms and status" 'r.ok && r.result.length >= 8
  && r.result.every((e) => e.method === "sendMessage" && e.chat_id === 42 && e.time > Date.now() - 60000)
  && r.result.some((e) => e.status === 429) && r.result.some((e) => e.status === 403)'
call POST /testing/sent "{\"chat_id\":42,\"after\":999999,\"wait_ms\":300}"
check "/testing/sent with after and wait_ms" 'r.ok && r.result.length === 0'
call POST /testing/reset
call GET /testing/sent
check "/testing/reset forgets the bot's messages" 'r.ok && r.result.length === 0'
call GET /testing/requests
check "/testing/reset forgets the request log" 'r.ok && r.result.length === 0'

# --- stopping -----------------------------------------------------------------------------------
exec 3>&-
for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then echo "FAIL the server exits when its stdin closes"; fails=$((fails + 1))
else echo "ok   the server exits when its stdin closes"; fi
if grep -qi 'error' "$work/stderr"; then echo "FAIL errors on the server's stderr:"; cat "$work/stderr"; fails=$((fails + 1)); fi

node "$here/server.js" 0 --ignore-stdin >"$work/stdout2" 2>/dev/null </dev/null &
pid2=$!
for _ in $(seq 100); do [ -s "$work/stdout2" ] && break; sleep 0.1; done
kill -TERM "$pid2"
for _ in $(seq 30); do kill -0 "$pid2" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid2" 2>/dev/null; then echo "FAIL the server exits on SIGTERM"; fails=$((fails + 1)); kill -KILL "$pid2"
else echo "ok   the server exits on SIGTERM"; fi

if [ "$fails" -ne 0 ]; then
  echo "selfcheck: $fails check(s) failed" >&2
  exit 1
fi
echo "selfcheck: all checks passed"
