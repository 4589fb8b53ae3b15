import { CfnOutput, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  OAuthScope,
  ResourceServerScope,
  UserPool,
  UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { SCOPES } from '../lambdas/handlers/api/routes.ts';
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
  readonly audience: string[];
  /** Undefined when an external issuer is used. */
  readonly userPool?: UserPool;

  constructor(scope: Construct, id: string, props: AuthProps = {}) {
    super(scope, id);
    if (props.external) {
      this.issuer = props.external.issuer;
      this.audience = props.external.audience;
      return;
    }

    const userPool = new UserPool(this, 'UserPool', {
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
    const domain = userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

    this.userPool = userPool;
    this.issuer = userPool.userPoolProviderUrl;
    // Cognito's client-credentials access tokens carry no `aud`; API Gateway then matches `client_id`.
    this.audience = [client.userPoolClientId];

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
}
