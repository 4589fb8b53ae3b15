import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Lazy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  FeaturePlan,
  LambdaVersion,
  ManagedLoginVersion,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  type UserPoolDomain,
  UserPoolOperation,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CONSOLE_WRITERS_GROUP } from '../lambdas/domain/operator-access.ts';
import { SCOPES } from '../lambdas/handlers/api/routes.ts';
import { AppFunction } from './app-function.ts';
import { acknowledge } from './nag.ts';

/** An identity provider the deployment already has, instead of the Cognito user pool. */
export interface ExternalIssuer {
  /** Issuer URL, exactly as in the tokens' `iss` claim. */
  issuer: string;
  /** Accepted `aud` (or `client_id`) values. */
  audience: string[];
}

export interface AuthProps {
  /** When set, no Cognito resources are created and the API trusts this issuer. */
  external?: ExternalIssuer;
}

/** Handler module of the pre token generation trigger (groups to scopes for console sign-ins). */
export const PRE_TOKEN_GENERATION_ENTRY = fileURLToPath(
  new URL('../lambdas/handlers/auth/pre-token-generation.ts', import.meta.url),
);

/** How the operator console signs in deployed: the page's `config.json` (lambdas/handlers/console). */
export interface ConsoleSignIn {
  /** The user pool's issuer URL (`iss` of its tokens). */
  issuer: string;
  /** The managed login domain, `https://{prefix}.auth.{region}.amazoncognito.com`. */
  domain: string;
  clientId: string;
  scopes: string[];
}

/** What an operator signed in to the console may be granted; the API checks them per route. */
export const CONSOLE_SCOPES = [SCOPES.read, SCOPES.write] as const;

const SCOPE_DESCRIPTIONS: Record<keyof typeof SCOPES, string> = {
  read: 'Read integrations, logs and rejected events',
  write: 'Register, change, start, stop and delete integrations',
  publish: 'Publish events',
};

/** `eventstream/read` → `{ server: 'eventstream', name: 'read' }`: SCOPES stays the one source of scope names. */
const splitScope = (scope: string) => {
  const [server, name] = scope.split('/');
  if (!server || !name) throw new Error(`Scope ${scope} is not "<resource server>/<scope>"`);
  return { server, name };
};

/**
 * Who may call the API: the issuer and audience the HTTP API's JWT authorizer checks. By default a Cognito
 * user pool whose app client gets tokens with the OAuth client-credentials flow (machine-to-machine, which
 * is how integrators and producers call us); a deployment with its own IdP passes `external` instead.
 */
export class Auth extends Construct {
  readonly issuer: string;
  /** The app clients whose tokens the API accepts (a list resolved at synth: the console's joins later). */
  readonly audience: string[];
  /** Undefined when an external issuer is used. */
  readonly userPool?: UserPool;
  /** Keeps the write scope of console sign-ins for the writers group only; undefined with an external issuer. */
  readonly preTokenGeneration?: AppFunction;
  private readonly domain?: UserPoolDomain;
  private readonly clientIds: string[] = [];

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    if (props.external) {
      this.issuer = props.external.issuer;
      this.audience = props.external.audience;
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
      // Essentials (the default of new pools, stated so it cannot drift to Lite): managed login's current
      // version, which the console signs in with, and access token customization, which a pre token
      // generation trigger needs to map groups to scopes.
      featurePlan: FeaturePlan.ESSENTIALS,
      selfSignUpEnabled: false,
      accountRecovery: AccountRecovery.NONE,
      // The pool has no users (app clients only), so no password is ever set; a strong policy costs
      // nothing and holds if someone adds a user by hand.
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
    });
    acknowledge(
      userPool,
      'COG2',
      'Machine-to-machine only: tokens come from the client-credentials grant (app client id and secret), ' +
        'which has no user sign-in for MFA to apply to; the pool has no users and no self sign-up',
    );
    acknowledge(
      userPool,
      'COG8',
      "The Plus plan's threat protection (compromised credentials, adaptive authentication) acts on user " +
        'sign-ins; client-credentials token requests are outside it, so the plan would cost without protecting',
    );

    const scopes = Object.entries(SCOPES).map(([key, full]) => ({
      key: key as keyof typeof SCOPES,
      ...splitScope(full),
    }));
    const serverIds = new Set(scopes.map((scope) => scope.server));
    if (serverIds.size !== 1) throw new Error('All scopes must belong to one resource server');
    const resourceServerScopes = scopes.map(
      (scope) =>
        new ResourceServerScope({ scopeName: scope.name, scopeDescription: SCOPE_DESCRIPTIONS[scope.key] }),
    );
    const resourceServer = new UserPoolResourceServer(this, 'ResourceServer', {
      userPool,
      identifier: [...serverIds][0] as string,
      scopes: resourceServerScopes,
    });

    const client = userPool.addClient('ApiClient', {
      generateSecret: true,
      oAuth: {
        flows: { clientCredentials: true },
        // Literal `eventstream/read`, as in SCOPES; the dependency below replaces the one the token would carry.
        scopes: Object.values(SCOPES).map((scope) => OAuthScope.custom(scope)),
      },
    });
    client.node.addDependency(resourceServer);

    // The token endpoint only exists with a domain; the prefix must be unique in the region, hence the account.
    const domainPrefix = `${Stack.of(this)
      .stackName.toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')}-${Stack.of(this).account}`;
    const domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix },
      // The console's sign-in page; the token endpoint works the same in either version.
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    // Operators read by default; members of the writers group may change things too.
    this.preTokenGeneration = new AppFunction(this, 'PreTokenGeneration', {
      entry: PRE_TOKEN_GENERATION_ENTRY,
      description: 'Event stream console sign-ins: the write scope only for the writers group',
      timeout: Duration.seconds(5),
    });
    // Version 2 may change an access token's scopes; it needs the Essentials plan (set above).
    userPool.addTrigger(
      UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
      this.preTokenGeneration,
      LambdaVersion.V2_0,
    );
    new CfnUserPoolGroup(this, 'WritersGroup', {
      userPoolId: userPool.userPoolId,
      groupName: CONSOLE_WRITERS_GROUP,
      description: 'Operators who may change integrations in the console (everyone else reads only)',
    });

    this.userPool = userPool;
    this.domain = domain;
    this.issuer = userPool.userPoolProviderUrl;
    // Cognito's access tokens carry no `aud`; API Gateway then matches `client_id`, so each app client
    // whose tokens the API takes is an audience.
    this.clientIds.push(client.userPoolClientId);
    this.audience = Lazy.list({ produce: () => this.clientIds });

    new CfnOutput(this, 'TokenUrl', {
      value: `${domain.baseUrl()}/oauth2/token`,
      description: 'OAuth token endpoint (client-credentials flow)',
    });
    new CfnOutput(this, 'ClientId', {
      value: client.userPoolClientId,
      description: 'App client id; its secret: aws cognito-idp describe-user-pool-client',
    });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
  }

  /**
   * A public app client for the operator console at `consoleUrl`: authorization code with PKCE (no secret:
   * the page cannot keep one), Cognito's managed login with its default branding, and the read and write
   * scopes. Its tokens join the API's audience. Undefined with an external issuer (the console then asks
   * for a pasted token).
   */
  addConsoleClient(consoleUrl: string): ConsoleSignIn | undefined {
    if (!this.userPool || !this.domain) return undefined;
    const client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, ...CONSOLE_SCOPES.map((scope) => OAuthScope.custom(scope))],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
    });
    const resourceServer = this.node.tryFindChild('ResourceServer');
    if (resourceServer) client.node.addDependency(resourceServer);
    new CfnManagedLoginBranding(this, 'ConsoleLoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.clientIds.push(client.userPoolClientId);
    new CfnOutput(this, 'ConsoleClientId', {
      value: client.userPoolClientId,
      description: 'App client of the operator console (authorization code with PKCE, no secret)',
    });
    return {
      issuer: this.issuer,
      domain: this.domain.baseUrl(),
      clientId: client.userPoolClientId,
      scopes: ['openid', ...CONSOLE_SCOPES],
    };
  }
}
