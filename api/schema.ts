/** Generated from api/openapi.json by `npm run openapi`: do not edit. */

export interface paths {
    "/api/v1/org/integrations/eventstream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List integrations
         * @description Every registered integration, running or stopped, with its secrets masked.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["listIntegrations"];
        put?: never;
        /**
         * Register an integration
         * @description Registers an integration and starts it. A webhook gets each event as a POST in real time; an S3 export writes newline-delimited JSON files `{bucket}/{key_prefix}/{tenant}/{timestamp}-data-{random}.export` every 5 minutes or 50 MiB. `filter_conditions` narrows which events go out (an event passes when it matches either filter). A `temporary` integration replays the events between `starts_at` and `ends_at`, then stops and is deleted. At most 10 integrations (400 `limit_exceeded`).
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["registerIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an integration
         * @description One integration, secrets masked.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["getIntegration"];
        put?: never;
        post?: never;
        /**
         * Delete an integration
         * @description Deletes the integration with its log, rejected events and secrets; an S3 export flushes its open file first.
         *
         *     Scope: `eventstream/write`.
         */
        delete: operations["deleteIntegration"];
        options?: never;
        head?: never;
        /**
         * Update an integration
         * @description Changes the destination or the filters of a stopped integration (409 while it runs: stop, update, start). A masked secret sent back as shown keeps the stored secret.
         *
         *     Scope: `eventstream/write`.
         */
        patch: operations["updateIntegration"];
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/_start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start an integration
         * @description Starts delivering. Within 30 days of a stop, every event published meanwhile is delivered; after that only new events (the log says so). Idempotent.
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["startIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/_stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop an integration
         * @description Stops delivering; an S3 export uploads its open file. Idempotent.
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["stopIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/_test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test an integration
         * @description Checks the destination now: a webhook gets a signed `event_stream.test` event; an S3 export writes a small object under `{key_prefix}/_event_stream_test/` (the answer names its `key`). Nothing is logged or counted as a delivery; works on a stopped integration too. 502 carries what the receiver answered (`receiver_error`, `status_code`, `reason`) or AWS (`destination_error`, `aws_error_code`).
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["testIntegration"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the integration log
         * @description The last 50 log entries, newest first: starts, stops, retries, rejections, uploaded files.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["getIntegrationLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/rejected_events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List rejected events
         * @description The last 30 events the receiver refused with HTTP 400 (older ones stay in the delivery history).
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["listRejectedEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/rejected_events/{event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a rejected event
         * @description The rejected event as the receiver got it.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["getRejectedEvent"];
        put?: never;
        post?: never;
        /**
         * Delete a rejected event
         * @description Removes a handled event from the rejected list.
         *
         *     Scope: `eventstream/write`.
         */
        delete: operations["deleteRejectedEvent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/rejected_events/{event_id}/_retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a rejected event
         * @description Sends the event to the receiver again now. Accepted: it leaves the list. Refused: 502 with what the receiver answered. Webhook integrations only (400 otherwise).
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["retryRejectedEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/signing_secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the signing secret
         * @description The Standard Webhooks secret receivers verify `webhook-signature` with. Write scope: whoever holds it can forge deliveries. Webhook integrations only.
         *
         *     Scope: `eventstream/write`.
         */
        get: operations["getSigningSecret"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/signing_secret/_rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description Makes a new secret; deliveries carry signatures with both for 24 hours.
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["rotateSigningSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query the event log
         * @description Events of the last 30 days, oldest first, filtered and paginated.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["queryEvents"];
        put?: never;
        /**
         * Publish events
         * @description Takes one event or `{"events": [...]}` of up to 100 and answers 202 with their ids, in order. `id` (a UUID) and `published_at` are filled when absent; `entity_id` (1..256 characters) names the object the event is about, `payload.id` when absent and a string. A payload is checked against its name's JSON Schema when it has one. The whole request is refused when one event is invalid (`field` names it, such as `events[3].name`), or when two of its events have one id.
         *
         *     Retrying safely: send an `Idempotency-Key`. A repeat of the key within 24 hours is answered 202 with the first answer's ids and delivers nothing twice (events the first request may have lost to a crash are queued again under the same ids); the same key with another body is refused with 422. Without a key, a request in which every event carries its `id` is keyed by those ids: sent again it is answered the same way, and sent again with other contents its events are not delivered again. An id repeated in a request composed differently is published again, unless the deployment deduplicates event ids (`dedupEventIds`): then an id another request published within 30 days is not delivered again and is listed once (see the README, Publishing safely).
         *
         *     Scope: `eventstream/publish`.
         */
        post: operations["publishEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deliveries
         * @description An integration's delivery history (30 days), newest first, with each delivery's attempts.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["listDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/integrations/eventstream/{integration_id}/deliveries/{event_id}/_retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resend a delivery
         * @description Sends one event to the webhook again now, whatever its status. 502 when refused. The delivery is named by its event id and `received_at`, both as the delivery list shows them.
         *
         *     Scope: `eventstream/write`.
         */
        post: operations["retryDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deliveries across integrations
         * @description Every integration's deliveries in one list, newest event first: "did the ERP get everything for order 1234?" is `?entity_id=1234`. With the entity index (deployment setting `entityIndex`) an `entity_id` query reads only that entity's events whatever the range; without it the history is read and filtered, so a page may come back short with a `next_token`. S3 deliveries name the file the event went into.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["listOrgDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/event_types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List event types
         * @description Every event name received within the 30-day window (`first_seen` and `last_seen` accurate to about a minute), and every name with a schema, even one not seen yet. Sorted by name.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["listEventTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/org/event_types/{name}/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get an event schema
         * @description The JSON Schema that payloads of this event name are checked against; 404 when none.
         *
         *     Scope: `eventstream/read`.
         */
        get: operations["getEventSchema"];
        /**
         * Set an event schema
         * @description Sets or replaces the JSON Schema (draft 2020-12) of an event name, seen or not. From the next publish on, `POST /events` refuses a request with 400 when a payload of this name does not match, naming the value and the rule (`events[2].payload.items[0].sku: must be a string`). A schema that is not valid 2020-12, has a `$ref` outside itself or an invalid `pattern` is refused with 400. `format` is an annotation: not checked.
         *
         *     Scope: `eventstream/write`.
         */
        put: operations["putEventSchema"];
        post?: never;
        /**
         * Delete an event schema
         * @description Payloads of this name are no longer checked, from the next publish on.
         *
         *     Scope: `eventstream/write`.
         */
        delete: operations["deleteEventSchema"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Exactly one destination: `callback_parameters` (a webhook) or `s3_parameters` (files in S3). At most one receiver credential (`api_key`, `oauth` or `jwt`). */
        RegisterIntegration: {
            /** @description Unique: 1..50 lowercase letters, digits or dashes, such as `erp-1`. */
            id: string;
            /**
             * @description `temporary` replays `starts_at`..`ends_at`, then is deleted; neither can be updated.
             * @enum {string}
             */
            integration_type: "permanent" | "temporary";
            /**
             * Format: date-time
             * @description Deliver events from this time (not in the future; clamped to the 30-day window).
             */
            starts_at?: string;
            /**
             * Format: date-time
             * @description Temporary integrations only (required there): the end of the replay.
             */
            ends_at?: string;
            /** @description A webhook destination. */
            callback_parameters?: {
                /** Format: uri */
                callback_url: string;
                api_key?: string;
                oauth?: {
                    /** Format: uri */
                    token_url: string;
                    client_id: string;
                    client_secret: string;
                    scope?: string;
                };
                jwt?: {
                    /** @enum {string} */
                    algorithm: "RS256" | "HS256";
                    iss?: string;
                    sub?: string;
                    aud?: string;
                    kid?: string;
                    private_key?: string;
                    secret?: string;
                };
                /** @description Held for the integration as a whole. A 429 pauses it for its Retry-After and halves the current rate; successes raise it back by 1/s per second. */
                rate_limit?: {
                    /** @description Most requests per second to the receiver, across every delivery process. */
                    per_second?: number;
                    /** @description Most requests open at the receiver at once. */
                    max_in_flight?: number;
                };
                /**
                 * @description entity: events with the same entity_id reach the receiver one at a time, in publish order; the next is sent once the previous was delivered, rejected or failed for good. Each carries its position in its entity's stream (header event-entity-position). Default none.
                 * @enum {string}
                 */
                ordering?: "none" | "entity";
            };
            /** @description An S3 export destination. */
            s3_parameters?: {
                bucket: string;
                key_prefix: string;
                aws_region: string;
                aws_access_key_id?: string;
                aws_secret_access_key?: string;
                role_arn?: string;
                external_id?: string;
            };
            /** @description Which events to deliver; an event passes when it matches either list. Omit for all. */
            filter_conditions?: {
                event_filter?: string[];
                entity_filter?: string[];
            };
        };
        /** @description `id`, `integration_type`, `starts_at` and `ends_at` cannot change. */
        UpdateIntegration: {
            callback_parameters?: {
                /** Format: uri */
                callback_url: string;
                api_key?: string;
                oauth?: {
                    /** Format: uri */
                    token_url: string;
                    client_id: string;
                    client_secret: string;
                    scope?: string;
                };
                jwt?: {
                    /** @enum {string} */
                    algorithm: "RS256" | "HS256";
                    iss?: string;
                    sub?: string;
                    aud?: string;
                    kid?: string;
                    private_key?: string;
                    secret?: string;
                };
                /** @description Held for the integration as a whole. A 429 pauses it for its Retry-After and halves the current rate; successes raise it back by 1/s per second. */
                rate_limit?: {
                    /** @description Most requests per second to the receiver, across every delivery process. */
                    per_second?: number;
                    /** @description Most requests open at the receiver at once. */
                    max_in_flight?: number;
                };
                /**
                 * @description entity: events with the same entity_id reach the receiver one at a time, in publish order; the next is sent once the previous was delivered, rejected or failed for good. Each carries its position in its entity's stream (header event-entity-position). Default none.
                 * @enum {string}
                 */
                ordering?: "none" | "entity";
            };
            s3_parameters?: {
                bucket: string;
                key_prefix: string;
                aws_region: string;
                aws_access_key_id?: string;
                aws_secret_access_key?: string;
                role_arn?: string;
                external_id?: string;
            };
            filter_conditions?: {
                event_filter?: string[];
                entity_filter?: string[];
            };
        };
        /** @description One event; `id` and `published_at` are filled when absent. */
        PublishedEvent: {
            /** Format: uuid */
            id?: string;
            name: string;
            /** Format: date-time */
            published_at?: string;
            entity_id?: string;
            payload: {
                [key: string]: unknown;
            };
        };
        /** @description Up to 100 events in one request. */
        PublishBatch: {
            events: {
                /** Format: uuid */
                id?: string;
                name: string;
                /** Format: date-time */
                published_at?: string;
                entity_id?: string;
                payload: {
                    [key: string]: unknown;
                };
            }[];
        };
        /** @description The schema (draft 2020-12) under `schema`; the request body at most 64 KiB. */
        PutEventSchema: {
            /** @description A JSON Schema, draft 2020-12. */
            schema: {
                [key: string]: unknown;
            } | boolean;
        };
        /** @description Every registered integration. */
        IntegrationList: {
            integrations: components["schemas"]["Integration"][];
        };
        /** @description An integration: where events go, which ones, and whether it is delivering now. */
        Integration: {
            id: string;
            /** @enum {string} */
            status: "running" | "stopped";
            /** @enum {string} */
            integration_type: "permanent" | "temporary";
            starts_at?: string;
            ends_at?: string;
            callback_parameters?: components["schemas"]["CallbackParametersView"];
            s3_parameters?: components["schemas"]["S3ParametersView"];
            filter_conditions?: {
                event_filter?: string[];
                entity_filter?: string[];
            };
            /** @description Only on GET of one integration with a `rate_limit`. */
            rate_limit_state?: {
                /** @description The rate requests go out at now: the limit, or less after a 429 (halved per 429, 1/s more per second of successes). */
                current_per_second?: number;
                /** @description Request lanes held by delivery batches now. */
                in_flight?: number;
                /**
                 * Format: date-time
                 * @description After a 429: no request before this time (its Retry-After).
                 */
                paused_until?: string;
            };
        };
        /** @description A webhook destination as stored, secrets masked. */
        CallbackParametersView: {
            /** @description Where events are POSTed. */
            callback_url: string;
            /** @description The API key sent as `Authorization: Bearer <api_key>`, masked: `****` plus its last four characters, or `****` alone. */
            api_key?: string;
            oauth?: {
                token_url: string;
                client_id: string;
                /** @description The OAuth client secret, masked: `****` plus its last four characters, or `****` alone. */
                client_secret: string;
                scope?: string;
            };
            jwt?: {
                /** @enum {string} */
                algorithm: "RS256" | "HS256";
                iss?: string;
                sub?: string;
                aud?: string;
                kid?: string;
                /** @description The RS256 private key, masked: `****` plus its last four characters, or `****` alone. */
                private_key?: string;
                /** @description The HS256 secret, masked: `****` plus its last four characters, or `****` alone. */
                secret?: string;
            };
            /** @description The limits asked for; `rate_limit_state` shows where the integration is within them. */
            rate_limit?: {
                per_second?: number;
                max_in_flight?: number;
            };
            /**
             * @description entity: one event at a time per entity_id, in publish order. Absent: none.
             * @enum {string}
             */
            ordering?: "none" | "entity";
        };
        /** @description An S3 export destination as stored, secrets masked. */
        S3ParametersView: {
            bucket: string;
            key_prefix: string;
            aws_region: string;
            aws_access_key_id?: string;
            /** @description The AWS secret access key, masked: `****` plus its last four characters, or `****` alone. */
            aws_secret_access_key?: string;
            role_arn?: string;
            external_id?: string;
        };
        /** @description An error answered by API Gateway (or the local runtime). */
        GatewayError: {
            message: string;
            error_code?: string;
            request_id?: string;
        };
        /** @description An error: never a stack trace. */
        Error: {
            /** @description Stable, machine-readable: `validation_error`, `not_found`, ... */
            error_code: string;
            message: string;
            /** @description Quote it when asking for help: it finds the request in the logs. */
            request_id: string;
            /** @description The request field at fault, dotted (`callback_parameters.callback_url`). */
            field?: string;
        };
        /** @description Done; nothing to return. */
        Empty: Record<string, never>;
        /** @description The destination took the test event or object. */
        TestResult: {
            /** @constant */
            ok: true;
            /** @description The receiver's HTTP status (webhooks only). */
            status_code?: number;
            /** @description The S3 key written (S3 exports only). */
            key?: string;
            duration_ms: number;
        };
        /** @description The receiver or the bucket refused. */
        DestinationError: {
            /** @enum {string} */
            error_code: "receiver_error" | "destination_error";
            message: string;
            /** @description Quote it when asking for help: it finds the request in the logs. */
            request_id: string;
            /** @description The request field at fault, dotted (`callback_parameters.callback_url`). */
            field?: string;
            /** @description What the receiver answered, when it answered. */
            status_code?: number;
            reason?: string;
            /** @description AWS's error code, for an S3 destination. */
            aws_error_code?: string;
        };
        /** @description The newest 50 log entries. */
        LogEntries: {
            entries: components["schemas"]["LogEntry"][];
        };
        /** @description One entry of an integration log. */
        LogEntry: {
            /** @enum {string} */
            action: "integration_created" | "integration_started" | "integration_stopped" | "integration_updated" | "starts_at_clamped" | "retry_triggered" | "event_rejected" | "delivery_failed" | "deliveries_paused" | "deliveries_resumed" | "rate_changed" | "signing_secret_rotated" | "replay_started" | "replay_completed" | "catch_up_skipped" | "catch_up_trimmed" | "integration_finished" | "file_uploaded";
            reason: string;
            /** Format: date-time */
            created_at: string;
        };
        /** @description The newest 30 events the receiver refused with 400. */
        RejectedEventList: {
            rejected_events: components["schemas"]["RejectedEventSummary"][];
        };
        RejectedEventSummary: {
            id: string;
            /** Format: date-time */
            created_at: string;
        };
        /** @description An event as receivers get it. */
        Event: {
            /** @description The event id (a UUID); receivers deduplicate on it. */
            id: string;
            tenant: string;
            /** @description `entity.event`, such as `order.created`. */
            name: string;
            /** Format: date-time */
            published_at: string;
            payload: {
                [key: string]: unknown;
            };
            /** @description Not in webhook bodies (the `event-entity-id` header carries it); in S3 lines. The business object it is about (given, or `payload.id`). */
            entity_id?: string;
        };
        /** @description The receiver accepted the event on this try. */
        RetryResult: {
            id: string;
            /** @constant */
            status: "delivered";
            status_code?: number;
        };
        /** @description The secret receivers verify `webhook-signature` with; after a rotation the previous one too. */
        SigningSecret: {
            /** @description The Standard Webhooks secret (`whsec_...`). */
            signing_secret?: string;
            previous_signing_secret?: string;
            /** Format: date-time */
            previous_signing_secret_expires_at?: string;
        };
        /** @description The ids of the accepted events, in request order. */
        PublishResult: {
            ids: string[];
        };
        /** @description One page of the event log. */
        EventPage: {
            events: components["schemas"]["LoggedEvent"][];
            /** @description Present when there is more: pass it as `next_token` with the same filters for the next page. */
            next_token?: string;
        };
        /** @description An event as the event log keeps it (30 days). */
        LoggedEvent: {
            id: string;
            tenant: string;
            name: string;
            /** Format: date-time */
            published_at: string;
            /** @description The business object it is about (given, or `payload.id`). */
            entity_id?: string;
            /**
             * Format: date-time
             * @description When the stack took the event: the order of the event log.
             */
            received_at: string;
            /** @description Its index in the publish request that brought it: publish order among events received at one instant (absent for EventBridge events). */
            position?: number;
            /** @description Only with `include_payload=true`. */
            payload?: {
                [key: string]: unknown;
            };
        };
        /** @description One page of delivery history. */
        DeliveryPage: {
            deliveries: components["schemas"]["Delivery"][];
            /** @description Present when there is more: pass it as `next_token` with the same filters for the next page. */
            next_token?: string;
        };
        /** @description The delivery of one event to one integration. */
        Delivery: {
            event_id: string;
            name: string;
            /** @description The business object it is about (given, or `payload.id`). */
            entity_id?: string;
            /** @enum {string} */
            status: "pending" | "delivered" | "rejected" | "failed";
            /** Format: date-time */
            received_at: string;
            /** Format: date-time */
            updated_at: string;
            attempt_count: number;
            last_attempt?: components["schemas"]["DeliveryAttempt"];
            /** @description Only with `include_attempts=true`. */
            attempts?: components["schemas"]["DeliveryAttempt"][];
            /** @description Only with `include_payload=true`. */
            event?: components["schemas"]["Event"];
        };
        /** @description One try to hand an event to a receiver. */
        DeliveryAttempt: {
            /** Format: date-time */
            at: string;
            /** @description The receiver's HTTP status, when it answered. */
            status_code?: number;
            duration_ms: number;
            error?: string;
            /** @description S3 integrations: the file (`s3://bucket/key`) the event went into, uploaded when it closes. */
            file?: string;
        };
        /** @description One page of deliveries of every integration. */
        OrgDeliveryPage: {
            deliveries: components["schemas"]["OrgDelivery"][];
            /** @description Present when there is more: pass it as `next_token` with the same filters for the next page. */
            next_token?: string;
        };
        /** @description The delivery of one event to one integration, with the integration. */
        OrgDelivery: {
            integration_id: string;
            /** @enum {string} */
            integration_type: "permanent" | "temporary";
            /** @enum {string} */
            target: "webhook" | "s3";
            /** @enum {string} */
            status: "pending" | "delivered" | "rejected" | "failed";
            event_id: string;
            event_name: string;
            /** @description The entity type: the part of the event name before the dot. */
            entity: string;
            entity_id?: string;
            /**
             * Format: date-time
             * @description When the stack took the event; with `event_id` it names the delivery.
             */
            received_at: string;
            /**
             * Format: date-time
             * @description The latest attempt (for S3: when the event was staged into its file).
             */
            attempted_at: string;
            /** @description How many attempts were made. */
            attempts: number;
            /** @description The receiver's HTTP status on the latest attempt. */
            status_code?: number;
            /** @description How long the latest attempt took (webhooks). */
            response_time_ms?: number;
            /** @description S3 integrations: the file (`s3://bucket/key`) the event went into, uploaded when it closes. */
            file?: string;
        };
        /** @description The event catalog. */
        EventTypeList: {
            event_types: components["schemas"]["EventType"][];
        };
        /** @description An event name of the catalog. */
        EventType: {
            /** @description `entity.event`, such as `order.created`. */
            name: string;
            /** @description The part of the name before the first dot. */
            entity: string;
            /**
             * Format: date-time
             * @description When an event of this name was first received, since it was last absent for a whole window (accurate to about a minute). Absent for a name with a schema and no event within the window.
             */
            first_seen?: string;
            /**
             * Format: date-time
             * @description When one was last received (accurate to about a minute).
             */
            last_seen?: string;
            /** @description Whether publishing checks payloads of this name against a schema. */
            has_schema: boolean;
            /** @description The schema's version, when it has one. */
            schema_version?: string;
        };
        /** @description An event name's payload schema. */
        EventSchema: {
            name: string;
            /** @description The JSON Schema (draft 2020-12) payloads of this name must match. */
            schema: {
                [key: string]: unknown;
            } | boolean;
            /** @description A hash of the schema's text: it changes whenever the schema does. */
            version: string;
            /** Format: date-time */
            updated_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listIntegrations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered integration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "integrations": [
                     *         {
                     *           "id": "erp-netsuite-integration-001",
                     *           "status": "running",
                     *           "integration_type": "permanent",
                     *           "callback_parameters": {
                     *             "callback_url": "https://netsuite.example.com/one/events",
                     *             "api_key": "****VCJ9"
                     *           }
                     *         },
                     *         {
                     *           "id": "sap-s3-integration-002",
                     *           "status": "stopped",
                     *           "integration_type": "permanent",
                     *           "starts_at": "2019-01-17T12:00:00.000Z",
                     *           "s3_parameters": {
                     *             "aws_access_key_id": "EXAMPLEACCESSKEYID1",
                     *             "aws_secret_access_key": "****EKEY",
                     *             "aws_region": "us-east-1",
                     *             "bucket": "sap_export",
                     *             "key_prefix": "newstore_integration_002"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["IntegrationList"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    registerIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterIntegration"];
            };
        };
        responses: {
            /** @description Registered and running. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "sap-integration-001",
                     *       "status": "running",
                     *       "integration_type": "temporary",
                     *       "starts_at": "2019-01-17T12:00:00.000Z",
                     *       "ends_at": "2019-02-21T23:59:00.000Z",
                     *       "callback_parameters": {
                     *         "callback_url": "https://sap01.example.com/two/events",
                     *         "api_key": "****VCJ9"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The integration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "sap-integration-001",
                     *       "status": "running",
                     *       "integration_type": "temporary",
                     *       "starts_at": "2019-01-17T12:00:00.000Z",
                     *       "ends_at": "2019-02-21T23:59:00.000Z",
                     *       "callback_parameters": {
                     *         "callback_url": "https://sap01.example.com/two/events",
                     *         "api_key": "****VCJ9"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    deleteIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Empty"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    updateIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateIntegration"];
            };
        };
        responses: {
            /** @description The updated integration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "sap-integration-001",
                     *       "status": "running",
                     *       "integration_type": "temporary",
                     *       "starts_at": "2019-01-17T12:00:00.000Z",
                     *       "ends_at": "2019-02-21T23:59:00.000Z",
                     *       "callback_parameters": {
                     *         "callback_url": "https://sap01.example.com/two/events",
                     *         "api_key": "****VCJ9"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    startIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Running. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "webhook-integration-1",
                     *       "status": "running",
                     *       "callback_parameters": {
                     *         "callback_url": "https://example.com/eventSuccessful"
                     *       },
                     *       "integration_type": "permanent",
                     *       "starts_at": "2019-07-07T00:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    stopIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Stopped. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "webhook-integration-1",
                     *       "status": "stopped",
                     *       "callback_parameters": {
                     *         "callback_url": "https://example.com/eventSuccessful"
                     *       },
                     *       "integration_type": "permanent",
                     *       "starts_at": "2019-07-07T00:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Integration"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    testIntegration: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The destination accepted the test. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "ok": true,
                     *       "status_code": 200,
                     *       "duration_ms": 84
                     *     }
                     */
                    "application/json": components["schemas"]["TestResult"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The receiver or the bucket did not accept what was sent. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationError"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getIntegrationLogs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest 50 entries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "entries": [
                     *         {
                     *           "action": "integration_stopped",
                     *           "reason": "Stopped via API.",
                     *           "created_at": "2019-09-13T08:04:00.000Z"
                     *         },
                     *         {
                     *           "action": "retry_triggered",
                     *           "reason": "Request to URL http://example.com/webhook failed. Reason: too many requests (HTTP status code 429).",
                     *           "created_at": "2019-09-12T15:21:00.000Z"
                     *         },
                     *         {
                     *           "action": "integration_started",
                     *           "reason": "Started via API.",
                     *           "created_at": "2019-09-12T12:00:00.000Z"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["LogEntries"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listRejectedEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest 30 rejected events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "rejected_events": [
                     *         {
                     *           "created_at": "2019-09-13T08:04:00.000Z",
                     *           "id": "1a8a5052-8741-4daf-982e-e0a12990335a"
                     *         },
                     *         {
                     *           "created_at": "2019-09-13T08:01:00.000Z",
                     *           "id": "045cb397-9dca-4305-81e5-4ad0b6ad242c"
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["RejectedEventList"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getRejectedEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
                /** @description The event id (a UUID). */
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rejected event. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "1a8a5052-8741-4daf-982e-e0a12990335a",
                     *       "tenant": "businessname",
                     *       "name": "order.items_cancelled",
                     *       "published_at": "2010-01-01T12:00:00.000Z",
                     *       "payload": {
                     *         "id": "1431b891-c056-4f80-9d34-06479b383417",
                     *         "items": [
                     *           {
                     *             "id": "8c2a657e-e8c7-4f1b-b6d5-ab27d2ec87a1",
                     *             "product_id": "ASDF1000",
                     *             "fulfillment_location_id": "US01"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    deleteRejectedEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
                /** @description The event id (a UUID). */
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Empty"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    retryRejectedEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
                /** @description The event id (a UUID). */
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delivered; it left the rejected list. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "1a8a5052-8741-4daf-982e-e0a12990335a",
                     *       "status": "delivered",
                     *       "status_code": 200
                     *     }
                     */
                    "application/json": components["schemas"]["RetryResult"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The receiver or the bucket did not accept what was sent. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationError"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getSigningSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signing secrets. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "signing_secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
                     *     }
                     */
                    "application/json": components["schemas"]["SigningSecret"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    rotateSigningSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret, and the previous one (valid 24 hours). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningSecret"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflict: the id is taken, the integration is running (update), or it changed concurrently. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    queryEvents: {
        parameters: {
            query?: {
                /** @description Only events of this name, such as `order.created`. */
                name?: string;
                /** @description Only events of this entity (the part of the name before the first dot), such as `order`. */
                entity?: string;
                /** @description Only events about this entity, such as an order id. */
                entity_id?: string;
                /** @description Start of the range (received time): RFC 3339 or epoch milliseconds; default 30 days ago. */
                from?: string;
                /** @description End of the range: RFC 3339 or epoch milliseconds; default now. */
                to?: string;
                /** @description Include each event's payload. */
                include_payload?: "true" | "false";
                /** @description Events per page, 1..500 (default 100). */
                limit?: string;
                /** @description The `next_token` of the previous page; send the same filters with it. */
                next_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    publishEvents: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PublishedEvent"] | components["schemas"]["PublishBatch"];
            };
        };
        responses: {
            /** @description Accepted: the ids, in request order. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "ids": [
                     *         "1a8a5052-8741-4daf-982e-e0a12990335a"
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["PublishResult"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The `Idempotency-Key` was used within 24 hours for a request with another body (`idempotency_key_reused`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listDeliveries: {
        parameters: {
            query?: {
                /** @description Only deliveries in this state. */
                status?: "pending" | "delivered" | "rejected" | "failed";
                /** @description Only deliveries of events of this name. */
                name?: string;
                /** @description Only deliveries of events about this entity, such as an order id. */
                entity_id?: string;
                /** @description Start of the range (received time): RFC 3339 or epoch milliseconds; default 30 days ago. */
                from?: string;
                /** @description End of the range: RFC 3339 or epoch milliseconds; default now. */
                to?: string;
                /** @description Include each delivered event. */
                include_payload?: "true" | "false";
                /** @description Include every attempt, not only the last. */
                include_attempts?: "true" | "false";
                /** @description Deliveries per page, 1..200 (default 50). */
                limit?: string;
                /** @description The `next_token` of the previous page; send the same filters with it. */
                next_token?: string;
            };
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryPage"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    retryDelivery: {
        parameters: {
            query: {
                /** @description The delivery's `received_at`, as the delivery list shows it. */
                received_at: string;
            };
            header?: never;
            path: {
                /** @description The integration id: 1..50 lowercase letters, digits or dashes. */
                integration_id: string;
                /** @description The event id (a UUID). */
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delivered on this try. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetryResult"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The receiver or the bucket did not accept what was sent. */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DestinationError"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listOrgDeliveries: {
        parameters: {
            query?: {
                /** @description Only the deliveries of this integration. */
                integration_id?: string;
                /** @description Only deliveries in this state. */
                status?: "pending" | "delivered" | "rejected" | "failed";
                /** @description Only deliveries of events of this name. */
                event_name?: string;
                /** @description Only deliveries of events of this entity type (the part of the name before the dot). */
                entity?: string;
                /** @description Only deliveries of events about this entity, such as an order id: "what happened to order X". */
                entity_id?: string;
                /** @description Start of the range (received time): RFC 3339 or epoch milliseconds; default 30 days ago. */
                from?: string;
                /** @description End of the range: RFC 3339 or epoch milliseconds; default now. */
                to?: string;
                /** @description Deliveries per page, 1..200 (default 50). */
                limit?: string;
                /** @description The `next_token` of the previous page; send the same filters with it. */
                next_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of deliveries across integrations, newest event first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrgDeliveryPage"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    listEventTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every event name seen within the window, and every name with a schema, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "event_types": [
                     *         {
                     *           "name": "order.created",
                     *           "entity": "order",
                     *           "first_seen": "2026-11-01T08:00:12.000Z",
                     *           "last_seen": "2026-11-22T12:00:00.000Z",
                     *           "has_schema": true,
                     *           "schema_version": "mDBDFVy3pKVb5i8OnYv4xn"
                     *         },
                     *         {
                     *           "name": "return.completed",
                     *           "entity": "return",
                     *           "first_seen": "2026-11-03T14:21:40.000Z",
                     *           "last_seen": "2026-11-22T11:58:31.000Z",
                     *           "has_schema": false
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": components["schemas"]["EventTypeList"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    getEventSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An event name, `entity.event` in lowercase snake case. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schema. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "name": "order.created",
                     *       "schema": {
                     *         "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *         "type": "object",
                     *         "required": [
                     *           "id",
                     *           "items"
                     *         ],
                     *         "properties": {
                     *           "id": {
                     *             "type": "string"
                     *           },
                     *           "items": {
                     *             "type": "array",
                     *             "items": {
                     *               "type": "object",
                     *               "required": [
                     *                 "sku",
                     *                 "quantity"
                     *               ],
                     *               "properties": {
                     *                 "sku": {
                     *                   "type": "string"
                     *                 },
                     *                 "quantity": {
                     *                   "type": "integer",
                     *                   "minimum": 1
                     *                 }
                     *               }
                     *             }
                     *           }
                     *         }
                     *       },
                     *       "version": "mDBDFVy3pKVb5i8OnYv4xn",
                     *       "updated_at": "2026-11-20T09:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["EventSchema"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    putEventSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An event name, `entity.event` in lowercase snake case. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutEventSchema"];
            };
        };
        responses: {
            /** @description The schema as stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "name": "order.created",
                     *       "schema": {
                     *         "$schema": "https://json-schema.org/draft/2020-12/schema",
                     *         "type": "object",
                     *         "required": [
                     *           "id",
                     *           "items"
                     *         ],
                     *         "properties": {
                     *           "id": {
                     *             "type": "string"
                     *           },
                     *           "items": {
                     *             "type": "array",
                     *             "items": {
                     *               "type": "object",
                     *               "required": [
                     *                 "sku",
                     *                 "quantity"
                     *               ],
                     *               "properties": {
                     *                 "sku": {
                     *                   "type": "string"
                     *                 },
                     *                 "quantity": {
                     *                   "type": "integer",
                     *                   "minimum": 1
                     *                 }
                     *               }
                     *             }
                     *           }
                     *         }
                     *       },
                     *       "version": "mDBDFVy3pKVb5i8OnYv4xn",
                     *       "updated_at": "2026-11-20T09:30:00.000Z"
                     *     }
                     */
                    "application/json": components["schemas"]["EventSchema"];
                };
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The body is too large. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is not JSON. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
    deleteEventSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description An event name, `entity.event` in lowercase snake case. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted: payloads are no longer checked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is invalid (`validation_error`, `field` names the field) or over a limit (`limit_exceeded`). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "error_code": "validation_error",
                     *       "message": "callback_parameters.callback_url: must be an https URL",
                     *       "request_id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
                     *       "field": "callback_parameters.callback_url"
                     *     }
                     */
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No token, or an invalid or expired one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description The token lacks this route's scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description No such integration, event or schema. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Throttled: retry with backoff. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
            /** @description Internal error: nothing about it is disclosed; quote `request_id`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The API did not answer in time; retry. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GatewayError"];
                };
            };
        };
    };
}
