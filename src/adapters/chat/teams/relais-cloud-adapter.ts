/**
 * The SDK's CloudAdapter with our connector policy: every ConnectorClient it
 * creates (replies, proactive messages, conversation creation) sends through
 * the rate-limited HTTP client.
 */
import { CloudAdapter, ConnectorClient, type AuthConfiguration, type HeaderPropagationCollection } from '@microsoft/agents-hosting';
import type { Activity } from '@microsoft/agents-activity';
import type { JwtPayload } from 'jsonwebtoken';
import { RateLimitedHttpClient, type ConnectorPolicy } from './rate-limited-http-client.js';

class PolicyConnectorClient extends ConnectorClient {
  static wrap(client: ConnectorClient, policy: ConnectorPolicy): ConnectorClient {
    return new PolicyConnectorClient(new RateLimitedHttpClient(client.httpClient, policy));
  }
}

export class RelaisCloudAdapter extends CloudAdapter {
  constructor(
    authConfig: AuthConfiguration,
    private readonly policy: ConnectorPolicy,
  ) {
    // Reject an activity whose serviceUrl is not the one its Bot Service token was issued for
    // (the SDK's recommended production setting; anonymous activities carry no token to compare with).
    super(authConfig, undefined, undefined, { validateServiceUrl: true });
  }

  protected override async createConnectorClient(
    serviceUrl: string,
    scope: string,
    identity: JwtPayload,
    headers?: HeaderPropagationCollection,
  ): Promise<ConnectorClient> {
    return PolicyConnectorClient.wrap(await super.createConnectorClient(serviceUrl, scope, identity, headers), this.policy);
  }

  protected override async createConnectorClientWithIdentity(
    identity: JwtPayload,
    activity: Activity,
    headers?: HeaderPropagationCollection,
  ): Promise<ConnectorClient> {
    return PolicyConnectorClient.wrap(await super.createConnectorClientWithIdentity(identity, activity, headers), this.policy);
  }
}
