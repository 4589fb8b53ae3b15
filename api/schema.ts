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
         * @description Takes one event or `{"events": [...]}` of up to 100 and answers 202 with their ids, in order. `id` (a UUID) and `published_at` are filled when absent; the same id published twice is one event. The whole request is refused when one event is invalid (`field` names it, such as `events[3].name`), or when two of its events have one id.
         *
         *     Retrying safely: send an `Idempotency-Key`. A repeat of the key within 24 hours is answered 202 with the first answer's ids and delivers nothing twice (events the first request may have lost to a crash are queued again under the same ids); the same key with another body is refused with 422. Without a key, a request in which every event carries its `id` is keyed by those ids: sent again it is answered the same way, and sent again with other contents its events are not delivered again.
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
                payload: {
                    [key: string]: unknown;
                };
            }[];
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
            action: "integration_created" | "integration_started" | "integration_stopped" | "integration_updated" | "starts_at_clamped" | "retry_triggered" | "event_rejected" | "delivery_failed" | "deliveries_paused" | "deliveries_resumed" | "signing_secret_rotated" | "replay_started" | "replay_completed" | "catch_up_skipped" | "catch_up_trimmed" | "integration_finished" | "file_uploaded";
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
            /**
             * Format: date-time
             * @description When the stack took the event: the order of the event log.
             */
            received_at: string;
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
            /** @description No such integration or event. */
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
}
