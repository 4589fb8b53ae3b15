import type { Resource, Resources } from './synth.ts';

/**
 * Rules that CloudFormation or the services enforce only when a stack is deployed: `cdk synth` and cdk-nag
 * pass a template that breaks them, and `cdk deploy` fails (or rolls back) half-way. Each cites the AWS
 * documentation it comes from. Checks return one message per violation, naming the resource.
 */
export interface DeployRule {
  name: string;
  /** The AWS documentation page that states the rule. */
  source: string;
  check: (resources: Resources) => string[];
}

type Properties = Record<string, unknown>;

const LAMBDA_API = 'https://docs.aws.amazon.com/lambda/latest/api';
const SQS_API = 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference';
const DYNAMODB_API = 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference';

/** `[logical id, properties]` of every resource of `type`. */
const ofType = (resources: Resources, type: string): [string, Properties][] =>
  Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);

/** The logical id a `Ref` or `Fn::GetAtt` points at, if `value` is one. */
const referencedId = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { Ref: ref, 'Fn::GetAtt': getAtt } = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof ref === 'string') return ref;
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
};

/** A number written in the template (CloudFormation also takes numeric strings); undefined for intrinsics. */
const numeric = (value: unknown): number | undefined => {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
};

/** Messages for each of `properties` that is set, literal, and not a whole number within `[min, max]`. */
const inRange = (resources: Resources, type: string, property: string, min: number, max: number): string[] =>
  ofType(resources, type).flatMap(([id, properties]) => {
    if (properties[property] === undefined) return [];
    const value = numeric(properties[property]);
    if (value === undefined) return [];
    return Number.isInteger(value) && value >= min && value <= max
      ? []
      : [`${id}: ${property} ${value} is not a whole number from ${min} to ${max}`];
  });

const isTrue = (value: unknown): boolean => value === true || value === 'true';

/** Queues by logical id; `fifo` from FifoQueue. */
const sqsQueues = (resources: Resources): Map<string, Properties & { fifo: boolean }> =>
  new Map(
    ofType(resources, 'AWS::SQS::Queue').map(([id, properties]) => [
      id,
      { ...properties, fifo: isTrue(properties.FifoQueue) },
    ]),
  );

/** Event source mappings whose source is one of the template's SQS queues, with that queue. */
const sqsMappings = (resources: Resources) => {
  const queues = sqsQueues(resources);
  return ofType(resources, 'AWS::Lambda::EventSourceMapping').flatMap(([id, properties]) => {
    const queueId = referencedId(properties.EventSourceArn);
    const queue = queueId ? queues.get(queueId) : undefined;
    return queue && queueId ? [{ id, properties, queueId, queue }] : [];
  });
};

/** Lambda's defaults where a property is left out (CreateFunction). */
const DEFAULT_FUNCTION_TIMEOUT = 3;
/** SQS's default visibility timeout (CreateQueue). */
const DEFAULT_VISIBILITY_TIMEOUT = 30;

/** CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((\S+ ){5}\S+\)$/;
const AT = /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/;

/** Why `expression` is not one EventBridge accepts, or undefined; `at()` only where `allowAt` (Scheduler). */
export const scheduleExpressionProblem = (expression: string, allowAt: boolean): string | undefined => {
  const rate = RATE.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const singular = !rate[2]?.endsWith('s');
    if (value < 1) return 'a rate must be positive';
    if ((value === 1) !== singular) return 'the unit must be singular for 1 and plural otherwise';
    return undefined;
  }
  if (CRON.test(expression)) {
    const fields = expression.slice(5, -1).split(' ');
    // Day-of-month and day-of-week cannot both be given: one of them must be `?`.
    return fields[2] === '?' || fields[4] === '?'
      ? undefined
      : 'a cron expression needs `?` in day-of-month or day-of-week';
  }
  if (allowAt && AT.test(expression)) return undefined;
  return allowAt ? 'not rate(), cron() with 6 fields, or at()' : 'not rate() or cron() with 6 fields';
};

/** Length of `value` once deployed, with each intrinsic counted as `tokenLength` characters. */
const deployedLength = (value: unknown, tokenLength: number): number => {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  return tokenLength;
};

/**
 * Length of a JSON document once deployed (no whitespace), with each intrinsic counted as `tokenLength`
 * characters of string: the upper bound of what it resolves to (an ARN, a URL or a name).
 */
const deployedJsonLength = (value: unknown, tokenLength: number): number => {
  if (Array.isArray(value)) {
    return (
      2 +
      value.reduce<number>(
        (sum, item, index) => sum + (index > 0 ? 1 : 0) + deployedJsonLength(item, tokenLength),
        0,
      )
    );
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && (entries[0]?.[0] === 'Ref' || entries[0]?.[0].startsWith('Fn::'))) {
      return tokenLength + 2;
    }
    return (
      2 +
      entries.reduce(
        (sum, [key, item], index) =>
          sum + (index > 0 ? 1 : 0) + JSON.stringify(key).length + 1 + deployedJsonLength(item, tokenLength),
        0,
      )
    );
  }
  return JSON.stringify(value).length;
};

/** What a resolved ARN, queue URL or table name is at most, for the size limits below. */
const TOKEN_LENGTH = 128;

const SQS_RANGES: readonly [property: string, min: number, max: number, source: string][] = [
  ['MessageRetentionPeriod', 60, 1_209_600, `${SQS_API}/API_SetQueueAttributes.html`],
  ['VisibilityTimeout', 0, 43_200, `${SQS_API}/API_SetQueueAttributes.html`],
  ['DelaySeconds', 0, 900, `${SQS_API}/API_SetQueueAttributes.html`],
  // 1 MiB since August 2025 (was 256 KiB).
  ['MaximumMessageSize', 1024, 1_048_576, `${SQS_API}/API_SetQueueAttributes.html`],
  ['ReceiveMessageWaitTimeSeconds', 0, 20, `${SQS_API}/API_SetQueueAttributes.html`],
  ['KmsDataKeyReusePeriodSeconds', 60, 86_400, `${SQS_API}/API_SetQueueAttributes.html`],
];

const HTTP_ROUTE_KEY = /^(\$default|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/\S*)$/;
/** In IAM's character set for descriptions (CreateRole): tab, newlines, printable ASCII and Latin-1. */
const iamDescriptionCharacters = (text: string): boolean =>
  [...text].every((character) => {
    const code = character.codePointAt(0) ?? 0;
    return (
      code === 9 ||
      code === 10 ||
      code === 13 ||
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa1 && code <= 0xff)
    );
  });

const keyNames = (schema: unknown): string[] =>
  Array.isArray(schema) ? schema.map((key: { AttributeName?: unknown }) => String(key.AttributeName)) : [];

/** Every key schema of a table: its own, and its global and local secondary indexes'. */
const tableKeySchemas = (properties: Properties): { where: string; names: string[] }[] => [
  { where: 'KeySchema', names: keyNames(properties.KeySchema) },
  ...(['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const).flatMap((kind) =>
    Array.isArray(properties[kind])
      ? (properties[kind] as { IndexName?: string; KeySchema?: unknown }[]).map((index) => ({
          where: `${kind} ${index.IndexName}`,
          names: keyNames(index.KeySchema),
        }))
      : [],
  ),
];

const definedAttributes = (properties: Properties): string[] =>
  Array.isArray(properties.AttributeDefinitions)
    ? (properties.AttributeDefinitions as { AttributeName?: unknown }[]).map((definition) =>
        String(definition.AttributeName),
      )
    : [];

export const DEPLOY_RULES: readonly DeployRule[] = [
  {
    name: 'Lambda SQS event source: BatchSize 1..10000 (standard queue), 1..10 (FIFO queue)',
    source: `${LAMBDA_API}/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-BatchSize`,
    check: (resources) =>
      sqsMappings(resources).flatMap(({ id, properties, queue, queueId }) => {
        const batchSize = numeric(properties.BatchSize) ?? 10;
        const max = queue.fifo ? 10 : 10_000;
        return Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= max
          ? []
          : [
              `${id}: BatchSize ${batchSize} is not from 1 to ${max} (${queueId} is ${queue.fifo ? 'FIFO' : 'standard'})`,
            ];
      }),
  },
  {
    name: 'Lambda SQS event source: BatchSize above 10 needs MaximumBatchingWindowInSeconds of at least 1',
    source: `${LAMBDA_API}/API_CreateEventSourceMapping.html#lambda-CreateEventSourceMapping-request-MaximumBatchingWindowInSeconds`,
    check: (resources) =>
      sqsMappings(resources).flatMap(({ id, properties }) => {
        const batchSize = numeric(properties.BatchSize) ?? 10;
        const window = numeric(properties.MaximumBatchingWindowInSeconds) ?? 0;
        return batchSize > 10 && window < 1
          ? [`${id}: BatchSize ${batchSize} with MaximumBatchingWindowInSeconds ${window}`]
          : [];
      }),
  },
  {
    name: 'Lambda SQS event source: MaximumBatchingWindowInSeconds 0..300, and none for a FIFO queue',
    // FIFO: "Batch window ... not supported for FIFO queues" (Lambda developer guide, SQS event source parameters).
    source: `${LAMBDA_API}/API_CreateEventSourceMapping.html; https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html`,
    check: (resources) =>
      sqsMappings(resources).flatMap(({ id, properties, queue, queueId }) => {
        if (properties.MaximumBatchingWindowInSeconds === undefined) return [];
        const window = numeric(properties.MaximumBatchingWindowInSeconds);
        if (window === undefined) return [];
        if (queue.fifo) return [`${id}: MaximumBatchingWindowInSeconds set on FIFO queue ${queueId}`];
        return Number.isInteger(window) && window >= 0 && window <= 300
          ? []
          : [`${id}: MaximumBatchingWindowInSeconds ${window} is not a whole number from 0 to 300`];
      }),
  },
  {
    name: 'Lambda SQS event source: ScalingConfig.MaximumConcurrency 2..1000',
    source: `${LAMBDA_API}/API_ScalingConfig.html`,
    check: (resources) =>
      ofType(resources, 'AWS::Lambda::EventSourceMapping').flatMap(([id, properties]) => {
        const value = numeric((properties.ScalingConfig as Properties | undefined)?.MaximumConcurrency);
        if (value === undefined) return [];
        return Number.isInteger(value) && value >= 2 && value <= 1000
          ? []
          : [`${id}: ScalingConfig.MaximumConcurrency ${value} is not from 2 to 1000`];
      }),
  },
  {
    name: "SQS event source: the queue's VisibilityTimeout is not below the function's Timeout",
    // "Lambda validates this requirement when you create or update an event source mapping."
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
    check: (resources) =>
      sqsMappings(resources).flatMap(({ id, properties, queue, queueId }) => {
        const functionId = referencedId(properties.FunctionName);
        const fn = functionId ? resources[functionId] : undefined;
        if (fn?.Type !== 'AWS::Lambda::Function') return [];
        const timeout = numeric(fn.Properties.Timeout) ?? DEFAULT_FUNCTION_TIMEOUT;
        const visibility = numeric(queue.VisibilityTimeout) ?? DEFAULT_VISIBILITY_TIMEOUT;
        return visibility >= timeout
          ? []
          : [
              `${id}: ${queueId} VisibilityTimeout ${visibility} s is below ${functionId} Timeout ${timeout} s`,
            ];
      }),
  },
  {
    name: 'Lambda function: Timeout 1..900 s',
    source: `${LAMBDA_API}/API_CreateFunction.html#lambda-CreateFunction-request-Timeout`,
    check: (resources) => inRange(resources, 'AWS::Lambda::Function', 'Timeout', 1, 900),
  },
  {
    name: 'Lambda function: MemorySize 128..10240 MB',
    source: `${LAMBDA_API}/API_CreateFunction.html#lambda-CreateFunction-request-MemorySize`,
    check: (resources) => inRange(resources, 'AWS::Lambda::Function', 'MemorySize', 128, 10_240),
  },
  {
    name: 'Lambda function: ReservedConcurrentExecutions at least 0',
    source: `${LAMBDA_API}/API_PutFunctionConcurrency.html`,
    check: (resources) =>
      inRange(resources, 'AWS::Lambda::Function', 'ReservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER),
  },
  {
    name: 'Lambda function: Description at most 256 characters',
    source: `${LAMBDA_API}/API_CreateFunction.html#lambda-CreateFunction-request-Description`,
    check: (resources) =>
      ofType(resources, 'AWS::Lambda::Function').flatMap(([id, properties]) => {
        const length = properties.Description === undefined ? 0 : deployedLength(properties.Description, 0);
        return length <= 256 ? [] : [`${id}: Description of ${length} characters`];
      }),
  },
  {
    name: 'Lambda function: environment variables at most 4 KB in total',
    // Each reference counted at TOKEN_LENGTH characters: an upper bound for the names and URLs they resolve to.
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html',
    check: (resources) =>
      ofType(resources, 'AWS::Lambda::Function').flatMap(([id, properties]) => {
        const variables = (properties.Environment as Properties | undefined)?.Variables as
          | Properties
          | undefined;
        const size = Object.entries(variables ?? {}).reduce(
          (sum, [name, value]) => sum + name.length + deployedLength(value, TOKEN_LENGTH),
          0,
        );
        return size <= 4096 ? [] : [`${id}: environment variables of up to ${size} bytes`];
      }),
  },
  {
    name: 'Lambda asynchronous invocation: MaximumEventAgeInSeconds 60..21600, MaximumRetryAttempts 0..2',
    source: `${LAMBDA_API}/API_PutFunctionEventInvokeConfig.html`,
    check: (resources) => [
      ...inRange(resources, 'AWS::Lambda::EventInvokeConfig', 'MaximumEventAgeInSeconds', 60, 21_600),
      ...inRange(resources, 'AWS::Lambda::EventInvokeConfig', 'MaximumRetryAttempts', 0, 2),
    ],
  },
  {
    name: `CloudWatch Logs: RetentionInDays one of ${LOG_RETENTION_DAYS.join(', ')}`,
    source:
      'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html',
    check: (resources) =>
      ofType(resources, 'AWS::Logs::LogGroup').flatMap(([id, properties]) => {
        const days = numeric(properties.RetentionInDays);
        return days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days)
          ? []
          : [`${id}: RetentionInDays ${days}`];
      }),
  },
  {
    name: 'EventBridge schedules: rate(N unit) with a singular unit for 1, cron() with 6 fields, at() (Scheduler only)',
    source:
      'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html; ' +
      'https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html',
    check: (resources) =>
      [
        ...ofType(resources, 'AWS::Events::Rule').map(([id, p]) => [id, p, false] as const),
        ...ofType(resources, 'AWS::Scheduler::Schedule').map(([id, p]) => [id, p, true] as const),
      ].flatMap(([id, properties, allowAt]) => {
        const expression = properties.ScheduleExpression;
        if (typeof expression !== 'string') return [];
        const problem = scheduleExpressionProblem(expression, allowAt);
        return problem ? [`${id}: ScheduleExpression ${expression}: ${problem}`] : [];
      }),
  },
  {
    name: 'EventBridge rule: a schedule or an event pattern, at most 5 targets with distinct ids',
    source: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html',
    check: (resources) =>
      ofType(resources, 'AWS::Events::Rule').flatMap(([id, properties]) => {
        const problems: string[] = [];
        if (properties.ScheduleExpression === undefined && properties.EventPattern === undefined)
          problems.push(`${id}: neither ScheduleExpression nor EventPattern`);
        const targets = Array.isArray(properties.Targets) ? (properties.Targets as { Id?: unknown }[]) : [];
        if (targets.length > 5) problems.push(`${id}: ${targets.length} targets`);
        const targetIds = targets.map((target) => String(target.Id));
        if (new Set(targetIds).size !== targetIds.length) problems.push(`${id}: duplicate target ids`);
        return problems;
      }),
  },
  ...SQS_RANGES.map(
    ([property, min, max, source]): DeployRule => ({
      name: `SQS queue: ${property} ${min}..${max}`,
      source,
      check: (resources) => inRange(resources, 'AWS::SQS::Queue', property, min, max),
    }),
  ),
  {
    name: 'SQS queue: RedrivePolicy maxReceiveCount 1..1000',
    source: `${SQS_API}/API_SetQueueAttributes.html`,
    check: (resources) =>
      ofType(resources, 'AWS::SQS::Queue').flatMap(([id, properties]) => {
        const policy = properties.RedrivePolicy as Properties | undefined;
        const count = numeric(policy?.maxReceiveCount);
        if (!policy || count === undefined)
          return policy ? [`${id}: RedrivePolicy without maxReceiveCount`] : [];
        return Number.isInteger(count) && count >= 1 && count <= 1000
          ? []
          : [`${id}: maxReceiveCount ${count} is not from 1 to 1000`];
      }),
  },
  {
    name: 'SQS queue: a set QueueName is 1..80 of [A-Za-z0-9_-], ending in .fifo exactly when FIFO',
    source: `${SQS_API}/API_CreateQueue.html`,
    check: (resources) =>
      [...sqsQueues(resources)].flatMap(([id, queue]) => {
        const name = queue.QueueName;
        if (typeof name !== 'string') return [];
        const base = name.replace(/\.fifo$/, '');
        const problems: string[] = [];
        if (queue.fifo !== name.endsWith('.fifo'))
          problems.push(`${id}: QueueName ${name} ${queue.fifo ? 'lacks' : 'has'} the .fifo suffix`);
        if (name.length > 80 || !/^[A-Za-z0-9_-]+$/.test(base))
          problems.push(`${id}: QueueName ${name} is invalid`);
        return problems;
      }),
  },
  {
    name: 'SQS queue: the dead-letter queue is of the same kind (FIFO for FIFO, standard for standard)',
    source:
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html',
    check: (resources) => {
      const queues = sqsQueues(resources);
      return [...queues].flatMap(([id, queue]) => {
        const dlqId = referencedId((queue.RedrivePolicy as Properties | undefined)?.deadLetterTargetArn);
        const dlq = dlqId ? queues.get(dlqId) : undefined;
        return dlq && dlq.fifo !== queue.fifo
          ? [`${id} is ${queue.fifo ? 'FIFO' : 'standard'} but its dead-letter queue ${dlqId} is not`]
          : [];
      });
    },
  },
  {
    name: 'DynamoDB table: every key attribute (table and indexes) is in AttributeDefinitions',
    source: `${DYNAMODB_API}/API_CreateTable.html#DDB-CreateTable-request-AttributeDefinitions`,
    check: (resources) =>
      ofType(resources, 'AWS::DynamoDB::Table').flatMap(([id, properties]) => {
        const defined = new Set(definedAttributes(properties));
        return tableKeySchemas(properties).flatMap(({ where, names }) =>
          names
            .filter((name) => !defined.has(name))
            .map((name) => `${id}: ${where} key ${name} is not defined`),
        );
      }),
  },
  {
    name: 'DynamoDB table: AttributeDefinitions name only key attributes (of the table or an index)',
    // CreateTable refuses the others: "Number of attributes in KeySchema does not exactly match number of
    // attributes defined in AttributeDefinitions".
    source: `${DYNAMODB_API}/API_CreateTable.html#DDB-CreateTable-request-AttributeDefinitions`,
    check: (resources) =>
      ofType(resources, 'AWS::DynamoDB::Table').flatMap(([id, properties]) => {
        const used = new Set(tableKeySchemas(properties).flatMap(({ names }) => names));
        return definedAttributes(properties)
          .filter((name) => !used.has(name))
          .map((name) => `${id}: attribute ${name} is defined but no key uses it`);
      }),
  },
  {
    name: 'DynamoDB table: index names 3..255 of [A-Za-z0-9_.-], unique; TTL attribute name 1..255',
    source: `${DYNAMODB_API}/API_GlobalSecondaryIndex.html; ${DYNAMODB_API}/API_TimeToLiveSpecification.html`,
    check: (resources) =>
      ofType(resources, 'AWS::DynamoDB::Table').flatMap(([id, properties]) => {
        const names = tableKeySchemas(properties)
          .slice(1)
          .map(({ where }) => where.split(' ')[1] ?? '');
        const problems = names
          .filter((name) => !/^[A-Za-z0-9_.-]{3,255}$/.test(name))
          .map((name) => `${id}: index name ${name} is invalid`);
        if (new Set(names).size !== names.length) problems.push(`${id}: duplicate index names`);
        const ttl = properties.TimeToLiveSpecification as Properties | undefined;
        if (ttl && isTrue(ttl.Enabled)) {
          const name = ttl.AttributeName;
          if (typeof name !== 'string' || name.length < 1 || name.length > 255)
            problems.push(`${id}: TTL enabled without a valid AttributeName`);
        }
        return problems;
      }),
  },
  {
    name: 'DynamoDB table: PAY_PER_REQUEST sets no ProvisionedThroughput, PROVISIONED needs it',
    source: `${DYNAMODB_API}/API_CreateTable.html#DDB-CreateTable-request-ProvisionedThroughput`,
    check: (resources) =>
      ofType(resources, 'AWS::DynamoDB::Table').flatMap(([id, properties]) => {
        const onDemand = properties.BillingMode === 'PAY_PER_REQUEST';
        const indexes = (properties.GlobalSecondaryIndexes as Properties[] | undefined) ?? [];
        const provisioned = [properties, ...indexes].filter(
          (p) => p.ProvisionedThroughput !== undefined,
        ).length;
        if (onDemand && provisioned > 0) return [`${id}: on-demand with ProvisionedThroughput`];
        if (!onDemand && provisioned < 1 + indexes.length)
          return [`${id}: provisioned without ProvisionedThroughput`];
        return [];
      }),
  },
  {
    name: 'API Gateway HTTP API: route keys "$default" or "METHOD /path", unique per API',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html',
    check: (resources) => {
      const seen = new Map<string, string>();
      return ofType(resources, 'AWS::ApiGatewayV2::Route').flatMap(([id, properties]) => {
        const key = String(properties.RouteKey);
        const api = JSON.stringify(properties.ApiId);
        const problems = HTTP_ROUTE_KEY.test(key) ? [] : [`${id}: route key ${key} is malformed`];
        const other = seen.get(`${api} ${key}`);
        if (other) problems.push(`${id}: route key ${key} already used by ${other}`);
        seen.set(`${api} ${key}`, id);
        return problems;
      });
    },
  },
  {
    name: "IAM role: RoleName at most 64 characters, Description at most 1000 of IAM's character set",
    source: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
    check: (resources) =>
      ofType(resources, 'AWS::IAM::Role').flatMap(([id, properties]) => {
        const problems: string[] = [];
        const { RoleName: name, Description: description } = properties;
        if (typeof name === 'string' && (name.length < 1 || name.length > 64))
          problems.push(`${id}: RoleName of ${name.length} characters`);
        if (
          typeof description === 'string' &&
          (description.length > 1000 || !iamDescriptionCharacters(description))
        )
          problems.push(`${id}: Description too long or with characters IAM refuses`);
        return problems;
      }),
  },
  {
    name: 'IAM role: inline policies at most 10,240 characters in total',
    // Whitespace is not counted; each reference is counted at TOKEN_LENGTH characters, an upper bound for an ARN.
    source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
    check: (resources) => {
      const sizes = new Map<string, number>();
      for (const [, properties] of ofType(resources, 'AWS::IAM::Policy')) {
        const size = deployedJsonLength(properties.PolicyDocument, TOKEN_LENGTH);
        for (const role of (properties.Roles as unknown[] | undefined) ?? []) {
          const roleId = referencedId(role) ?? String(role);
          sizes.set(roleId, (sizes.get(roleId) ?? 0) + size);
        }
      }
      for (const [id, properties] of ofType(resources, 'AWS::IAM::Role')) {
        for (const policy of (properties.Policies as { PolicyDocument?: unknown }[] | undefined) ?? [])
          sizes.set(id, (sizes.get(id) ?? 0) + deployedJsonLength(policy.PolicyDocument, TOKEN_LENGTH));
      }
      return [...sizes]
        .filter(([, size]) => size > 10_240)
        .map(([id, size]) => `${id}: inline policies of up to ${size} characters`);
    },
  },
  {
    name: 'CloudWatch alarm: Period 10, 20, 30 or a multiple of 60; Period x EvaluationPeriods at most a day; DatapointsToAlarm at most EvaluationPeriods',
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
    check: (resources) =>
      ofType(resources, 'AWS::CloudWatch::Alarm').flatMap(([id, properties]) => {
        const problems: string[] = [];
        const evaluations = numeric(properties.EvaluationPeriods) ?? 1;
        const metricPeriods = (
          (properties.Metrics as { MetricStat?: { Period?: unknown } }[] | undefined) ?? []
        )
          .map((metric) => numeric(metric.MetricStat?.Period))
          .filter((period): period is number => period !== undefined);
        const periods = [numeric(properties.Period), ...metricPeriods].filter(
          (period): period is number => period !== undefined,
        );
        for (const period of periods) {
          if (![10, 20, 30].includes(period) && (period < 60 || period % 60 !== 0))
            problems.push(`${id}: Period ${period}`);
          if (period * evaluations > 86_400)
            problems.push(`${id}: ${evaluations} periods of ${period} s exceed a day`);
        }
        const datapoints = numeric(properties.DatapointsToAlarm);
        if (datapoints !== undefined && (datapoints < 1 || datapoints > evaluations))
          problems.push(`${id}: DatapointsToAlarm ${datapoints} of ${evaluations} periods`);
        return problems;
      }),
  },
  {
    name: 'S3 bucket lifecycle: day counts are whole numbers of at least 1',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleRule.html',
    check: (resources) =>
      ofType(resources, 'AWS::S3::Bucket').flatMap(([id, properties]) => {
        const rules =
          ((properties.LifecycleConfiguration as Properties | undefined)?.Rules as
            | Properties[]
            | undefined) ?? [];
        return rules.flatMap((rule) => {
          const days = [
            ['ExpirationInDays', rule.ExpirationInDays],
            ['NoncurrentVersionExpirationInDays', rule.NoncurrentVersionExpirationInDays],
            [
              'AbortIncompleteMultipartUpload.DaysAfterInitiation',
              (rule.AbortIncompleteMultipartUpload as Properties | undefined)?.DaysAfterInitiation,
            ],
          ] as const;
          return days.flatMap(([name, value]) => {
            const number = numeric(value);
            return number === undefined || (Number.isInteger(number) && number >= 1)
              ? []
              : [`${id}: rule ${String(rule.Id)} ${name} ${number}`];
          });
        });
      }),
  },
];

/** A resource for the rules' own tests. */
export const resource = (Type: string, Properties: Properties): Resource => ({ Type, Properties });
