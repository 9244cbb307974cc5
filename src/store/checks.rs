//! The people's checks under way ([`super::WaitingChecks`]), the same SQL on
//! both backends: `$N` placeholders, which sqlx's SQLite driver binds by
//! their number as PostgreSQL does. One body, written once by the macro for
//! each store (its `pool` field is the only difference).

/// Implements [`super::WaitingChecks`] for a store with a `pool`.
macro_rules! waiting_checks {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl WaitingChecks for $store {
            async fn keep_challenge(&self, target: &str, challenge: &KeptChallenge) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO check_challenges (target, person, opened_at, image, audio, resume) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (target) DO UPDATE SET person = excluded.person, opened_at = excluded.opened_at,
                         image = excluded.image, audio = excluded.audio, resume = excluded.resume",
                )
                .bind(target)
                .bind(&challenge.person)
                .bind(millis(challenge.opened_at))
                .bind(&challenge.image)
                .bind(&challenge.audio)
                .bind(&challenge.resume)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn challenge(&self, target: &str, since: DateTime<Utc>) -> Result<Option<KeptChallenge>, StoreError> {
                let row = sqlx::query(
                    "SELECT person, opened_at, image, audio, resume FROM check_challenges WHERE target = $1 AND opened_at >= $2",
                )
                .bind(target)
                .bind(millis(since))
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| rows::kept_challenge(&row)).transpose()
            }

            async fn take_challenge(&self, target: &str, since: DateTime<Utc>) -> Result<Option<KeptChallenge>, StoreError> {
                let row = sqlx::query(
                    "DELETE FROM check_challenges WHERE target = $1 AND opened_at >= $2
                     RETURNING person, opened_at, image, audio, resume",
                )
                .bind(target)
                .bind(millis(since))
                .fetch_optional(&self.pool)
                .await?;
                row.map(|row| rows::kept_challenge(&row)).transpose()
            }

            async fn keep_check_result(&self, target: &str, reading: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO check_results (target, reading, at) VALUES ($1, $2, $3)
                     ON CONFLICT (target) DO UPDATE SET reading = excluded.reading, at = excluded.at",
                )
                .bind(target)
                .bind(reading)
                .bind(millis(at))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn check_result(&self, target: &str, since: DateTime<Utc>) -> Result<Option<String>, StoreError> {
                Ok(sqlx::query_scalar("SELECT reading FROM check_results WHERE target = $1 AND at >= $2")
                    .bind(target)
                    .bind(millis(since))
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn forget_challenges(&self, person: &str) -> Result<u64, StoreError> {
                let deleted = sqlx::query("DELETE FROM check_challenges WHERE person = $1").bind(person).execute(&self.pool).await?;
                Ok(deleted.rows_affected())
            }
        }
    };
}
