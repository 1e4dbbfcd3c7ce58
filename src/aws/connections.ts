// The HTTP connections the per-account clients of a fan-out share. Left to itself every SDK client builds its
// own request handler with its own keep-alive agents, so each account's clients opened fresh TCP connections
// and threw them away when the account was done: at thousands of accounts that was most of the run's CPU.
// Here one pair of agents (http and https) serves every account's clients; sockets are pooled per endpoint
// host, and requests still carry their own account's signature (an agent holds sockets, not credentials).
import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NODE_APP_ID_CONFIG_OPTIONS } from '@aws-sdk/core/client';
import { NODE_AUTH_SCHEME_PREFERENCE_OPTIONS } from '@aws-sdk/core/httpAuthSchemes';
import {
  loadConfig,
  NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS,
  NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS,
} from '@smithy/core/config';
import type { Provider } from '@smithy/types';

/**
 * An http agent lent to SDK clients. A client's destroy() destroys its request handler's agents; the agent
 * is not that client's to close (other accounts' calls may be in flight on it), so destroy() does nothing
 * and the owner closes it with closeSockets().
 */
class LentHttpAgent extends HttpAgent {
  override destroy(): void {
    // Lent, not owned: see the class comment.
  }
  closeSockets(): void {
    super.destroy();
  }
}

/** The https twin of LentHttpAgent (AWS's own endpoints). */
class LentHttpsAgent extends HttpsAgent {
  override destroy(): void {
    // Lent, not owned: see LentHttpAgent.
  }
  closeSockets(): void {
    super.destroy();
  }
}

/** Keep-alive agents shared by the clients of every account in flight, closed when the last account is done. */
export interface SharedConnections {
  /** Request-handler options for a client: the shared agents with the per-call time limits. */
  handler(): {
    requestTimeout: number;
    connectionTimeout: number;
    throwOnRequestTimeout: true;
    httpAgent: HttpAgent;
    httpsAgent: HttpsAgent;
  };
  /**
   * Records one more account using the connections; the returned function records that it is done (once,
   * however often it is called). When no account is left, the idle sockets are closed; the agents stay usable.
   */
  acquire(): () => void;
}

/**
 * Creates the shared connections. `maxSockets` bounds the sockets per endpoint host: set it to the most calls
 * the fan-out can have in flight, so that a call never queues for a socket (its time limit would be running).
 */
export function sharedConnections(options: {
  requestTimeout: number;
  maxSockets: number;
}): SharedConnections {
  const agentOptions: AgentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const http = new LentHttpAgent(agentOptions);
  const https = new LentHttpsAgent(agentOptions);
  let users = 0;
  return {
    handler() {
      return {
        requestTimeout: options.requestTimeout,
        connectionTimeout: options.requestTimeout,
        throwOnRequestTimeout: true,
        httpAgent: http,
        httpsAgent: https,
      };
    },
    acquire() {
      users += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        users -= 1;
        if (users === 0) {
          http.closeSockets();
          https.closeSockets();
        }
      };
    },
  };
}

/** A provider that asks its source once and then answers from memory (failures are asked again). */
function once<T>(source: Provider<T>): Provider<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= source().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * The settings every client reads from the environment and the shared config file (AWS_USE_FIPS_ENDPOINT,
 * AWS_USE_DUALSTACK_ENDPOINT, AWS_AUTH_SCHEME_PREFERENCE, AWS_SDK_UA_APP_ID and their profile keys), read
 * once for all the clients of a run instead of once per client. They are the SDK's own loaders, so the same
 * variables and profile keys win as before; a client built without them reads the same values itself.
 */
export function sharedSettings(): {
  useFipsEndpoint: Provider<boolean>;
  useDualstackEndpoint: Provider<boolean>;
  authSchemePreference: Provider<string[]>;
  userAgentAppId: Provider<string | undefined>;
} {
  return {
    useFipsEndpoint: once(loadConfig(NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS, {})),
    useDualstackEndpoint: once(loadConfig(NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, {})),
    authSchemePreference: once(loadConfig(NODE_AUTH_SCHEME_PREFERENCE_OPTIONS, {})),
    userAgentAppId: once(loadConfig(NODE_APP_ID_CONFIG_OPTIONS, {})),
  };
}
