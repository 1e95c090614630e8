CREATE TYPE plan_tier AS ENUM ('free', 'pro', 'enterprise');
CREATE TABLE subscriptions (
    user_id bigint NOT NULL REFERENCES users (id),
    tier plan_tier NOT NULL DEFAULT 'free',
    started_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, started_at)
);
CREATE VIEW active_pro AS SELECT user_id FROM subscriptions WHERE tier <> 'free';
