-- Which chats got a slot alert lately: read before each delivery of slot
-- alerts, so that one watch served by several pages alerts once.
CREATE INDEX outbox_slots_sent ON outbox(sent_at) WHERE kind = 'slots';
