//! A person's chosen path and their deadline reminders ([`super::Paths`],
//! [`super::Reminders`]), the same SQL on both backends (`$N` placeholders,
//! as in [`super::checks`]), written once by the macro for each store.

/// Implements [`super::Paths`] and [`super::Reminders`] for a store with a `pool`.
macro_rules! paths_and_reminders {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl Paths for $store {
            async fn choose_path(&self, chat: &ChatAddress, path: &ChosenPath) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO paths (chat, departement, procedure, chosen_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (chat) DO UPDATE SET departement = excluded.departement, procedure = excluded.procedure,
                         chosen_at = excluded.chosen_at",
                )
                .bind(chat.key())
                .bind(&path.departement)
                .bind(&path.procedure)
                .bind(millis(path.at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn chosen_path(&self, chat: &ChatAddress) -> Result<Option<ChosenPath>, StoreError> {
                let row = sqlx::query("SELECT departement, procedure, chosen_at FROM paths WHERE chat = $1")
                    .bind(chat.key())
                    .fetch_optional(&self.pool)
                    .await?;
                row.map(|row| Ok(ChosenPath { departement: row.read(0)?, procedure: row.read(1)?, at: instant(row.read(2)?)? })).transpose()
            }
        }

        #[async_trait::async_trait]
        impl Reminders for $store {
            async fn plan_reminders(&self, chat: &ChatAddress, planned: &[PlannedReminder]) -> Result<(), StoreError> {
                let mut tx = self.pool.begin().await?;
                // What was sent stays (and is not planned again); the rest is replaced.
                sqlx::query("DELETE FROM reminders WHERE chat = $1 AND sent_at IS NULL AND dropped_at IS NULL")
                    .bind(chat.key())
                    .execute(&mut *tx)
                    .await?;
                for plan in planned {
                    sqlx::query(
                        "INSERT INTO reminders (chat, kind, about, due_at) VALUES ($1, $2, $3, $4)
                         ON CONFLICT (chat, kind, about) DO NOTHING",
                    )
                    .bind(chat.key())
                    .bind(plan.reminder.kind.as_str())
                    .bind(plan.reminder.about.to_string())
                    .bind(millis(plan.at))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn planned_reminders(&self, chat: &ChatAddress) -> Result<Vec<PlannedReminder>, StoreError> {
                let rows = sqlx::query(
                    "SELECT kind, about, due_at FROM reminders WHERE chat = $1 AND sent_at IS NULL AND dropped_at IS NULL
                     ORDER BY due_at, id",
                )
                .bind(chat.key())
                .fetch_all(&self.pool)
                .await?;
                rows.iter().map(|row| rows::planned_reminder(row.read(0)?, row.read(1)?, row.read(2)?)).collect()
            }

            async fn claim_reminders(&self, claim: &Claim, transport: &str) -> Result<Vec<PendingReminder>, StoreError> {
                // A chat's key starts with its transport's name (`telegram:…`).
                let rows = sqlx::query(
                    "UPDATE reminders SET claimed_by = $1, claim_until = $2, attempts = attempts + 1
                     WHERE id IN (SELECT id FROM reminders
                                  WHERE sent_at IS NULL AND dropped_at IS NULL AND due_at <= $3 AND chat LIKE $5
                                    AND (claim_until IS NULL OR claim_until <= $3)
                                  ORDER BY due_at, id LIMIT $4)
                     RETURNING id, chat, (SELECT lang FROM chats WHERE chats.chat = reminders.chat), kind, about, due_at, in_doubt",
                )
                .bind(&claim.owner)
                .bind(claim.until_ms())
                .bind(millis(claim.now))
                .bind(i64::from(claim.limit))
                .bind(format!("{transport}:%"))
                .fetch_all(&self.pool)
                .await?;
                let mut pending = rows
                    .iter()
                    .map(|row| {
                        let key: String = row.read(1)?;
                        Ok(PendingReminder {
                            id: row.read(0)?,
                            chat: ChatAddress::from_key(&key).ok_or_else(|| StoreError::Corrupt(format!("chat {key:?}")))?,
                            lang: rows::lang(row.read(2)?).unwrap_or(Lang::Fr),
                            planned: rows::planned_reminder(row.read(3)?, row.read(4)?, row.read(5)?)?,
                            in_doubt: count(row.read(6)?),
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
                pending.sort_by_key(|p| (p.planned.at, p.id));
                Ok(pending)
            }

            async fn mark_reminder_sending(&self, id: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE reminders SET in_doubt = in_doubt + 1 WHERE id = $1").bind(id).execute(&self.pool).await?;
                Ok(())
            }

            async fn mark_reminder_refused(&self, id: i64) -> Result<(), StoreError> {
                sqlx::query("UPDATE reminders SET in_doubt = CASE WHEN in_doubt > 0 THEN in_doubt - 1 ELSE 0 END WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn mark_reminder_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query(
                    "UPDATE reminders SET sent_at = $1, in_doubt = CASE WHEN in_doubt > 0 THEN in_doubt - 1 ELSE 0 END WHERE id = $2",
                )
                .bind(millis(now))
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn postpone_reminder(&self, id: i64, until: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("UPDATE reminders SET claim_until = $1 WHERE id = $2").bind(millis(until)).bind(id).execute(&self.pool).await?;
                Ok(())
            }

            async fn drop_reminder(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query("UPDATE reminders SET dropped_at = $1 WHERE id = $2").bind(millis(now)).bind(id).execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}
