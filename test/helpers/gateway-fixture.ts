/**
 * A started server side for one transport, as the transport and gateway contract suites need
 * it: a topic bus, an HTTP server on an OS-chosen port with its UpgradeRouter, and the
 * transport's gateway. stopServer()/startServer() take the whole server down and bring it back
 * on the same addresses, for the reconnect cases; replaceGateway() puts a new gateway where the
 * stopped one was, on the same running HTTP server. Clients made here are closed by teardown().
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TopicBus } from '../../src/bus/bus.js';
import { UpgradeRouter } from '../../src/bus/upgrade-router.js';
import type {
  ClientOptions,
  Gateway,
  GatewayContext,
  GatewayOptions,
  TransportClient,
  TransportFactory,
  TransportName,
} from '../../src/transports/transport.js';

const HOST = '127.0.0.1';

export interface TransportFixture {
  readonly transport: TransportName;
  readonly bus: TopicBus;
  /** The running gateway (a new instance after startServer()). */
  readonly gateway: Gateway;
  /** A client of this transport, not yet connected, pointed at this server. */
  createClient(clientId: string): TransportClient;
  /** What createClient() would build a client from: for a client in another process. */
  clientOptions(clientId: string): ClientOptions;
  /** A client pointed at a port where nothing listens. */
  createUnreachableClient(clientId: string): TransportClient;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** Stops the gateway (if it runs) and starts a new one on the same HTTP server and addresses. */
  replaceGateway(): Promise<void>;
  teardown(): Promise<void>;
}

/**
 * Something the gateway depends on that goes down and comes back with the server (an external
 * broker). It is already running when the fixture is built.
 */
export interface FixtureDependency {
  stop(): Promise<void>;
  start(): Promise<void>;
  teardown(): Promise<void>;
}

export interface GatewayFixtureOptions {
  /** Gateway options for the first start. */
  gatewayOptions?: GatewayOptions;
  /** Gateway options that bring it back on the addresses the first gateway used (e.g. its broker port). */
  sameAddress?: (first: Gateway) => GatewayOptions;
  dependency?: FixtureDependency;
  /** What a game server adds to every gateway's context: its publish policy and client registry. */
  context?: Pick<GatewayContext, 'policy' | 'clients'>;
  /** ClientOptions.extra for every client (e.g. shorter reconnect delays). */
  clientExtra?: Record<string, unknown>;
  connectTimeoutMs?: number;
}

export async function startGatewayFixture(factory: TransportFactory, options: GatewayFixtureOptions = {}): Promise<TransportFixture> {
  const bus = new TopicBus();
  const clients = new Set<TransportClient>();
  const log = () => undefined;
  let gatewayOptions: GatewayOptions = options.gatewayOptions ?? {};
  let httpPort = 0;
  let server: http.Server | null = null;
  let upgrades: UpgradeRouter | null = null;
  let gateway: Gateway | null = null;
  let clientUrls = { serverUrl: '', brokerUrl: '' };
  let restarting = false;

  const startServer = async () => {
    const httpServer = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(httpPort, HOST, () => resolve());
    });
    httpPort = (httpServer.address() as AddressInfo).port;
    server = httpServer;
    upgrades = new UpgradeRouter(httpServer);
    if (restarting) await options.dependency?.start();
    restarting = true;
    await startGateway();
  };

  const startGateway = async () => {
    const next = factory.createGateway({
      ...options.context,
      bus,
      http: server!,
      upgrades: upgrades!,
      host: HOST,
      log,
      options: gatewayOptions,
    });
    await next.start();
    gateway = next;
    clientUrls = { serverUrl: `http://${HOST}:${httpPort}`, brokerUrl: next.describe() };
  };

  const stopServer = async () => {
    const running = gateway;
    const httpServer = server;
    gateway = null;
    server = null;
    upgrades = null;
    await running?.stop();
    await options.dependency?.stop();
    if (httpServer) {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await closed;
    }
  };

  const optionsFor = (clientId: string, urls: { serverUrl: string; brokerUrl: string }): ClientOptions => ({
    ...urls,
    clientId,
    connectTimeoutMs: options.connectTimeoutMs ?? 3_000,
    ...(options.clientExtra ? { extra: options.clientExtra } : {}),
  });

  const makeClient = (clientId: string, urls: { serverUrl: string; brokerUrl: string }) => {
    const client = factory.createClient(optionsFor(clientId, urls));
    clients.add(client);
    return client;
  };

  await startServer();
  if (options.sameAddress) gatewayOptions = { ...gatewayOptions, ...options.sameAddress(gateway!) };

  return {
    transport: factory.name,
    bus,
    get gateway() {
      if (!gateway) throw new Error('the server is stopped');
      return gateway;
    },
    createClient: (clientId) => makeClient(clientId, clientUrls),
    clientOptions: (clientId) => optionsFor(clientId, clientUrls),
    createUnreachableClient: (clientId) => makeClient(clientId, { serverUrl: `http://${HOST}:1`, brokerUrl: `mqtt://${HOST}:1` }),
    startServer,
    stopServer,
    async replaceGateway() {
      if (!server) throw new Error('the server is stopped');
      const running = gateway;
      gateway = null;
      await running?.stop();
      await startGateway();
    },
    async teardown() {
      await Promise.all([...clients].map((client) => client.close()));
      await stopServer();
      await options.dependency?.teardown();
    },
  };
}
