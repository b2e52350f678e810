// Entry point: builds the one context object and hands it to each feature. Nothing else: the
// features share state only through the context, so their order here does not matter.
import type * as vscode from 'vscode';
import { registerComposeCommands } from './commands/composeCommands';
import { registerContainerFileCommands } from './commands/containerFiles';
import { registerFileCommands } from './commands/fileCommands';
import { registerBuildTasks } from './providers/buildTasks';
import { registerBuildkitdDebugging } from './providers/buildkitdDebug';
import { registerDockerfileCheck } from './providers/dockerfileCheck';
import { registerDoctor, type DoctorApi } from './providers/doctorReport';
import { registerImageCommands } from './commands/imageCommands';
import { registerPruneCommands } from './commands/pruneCommands';
import { registerRegistryCommands } from './commands/registryCommands';
import { registerNerdctlCommands } from './commands/nerdctlCommands';
import { registerRowActions } from './commands/rowActions';
import type { RequestCounts } from './containerd/connection/requestCounts';
import { createCtx } from './ctx';
import { registerInspectDocuments, type InspectDocumentsApi } from './providers/inspectDocuments';
import { registerAreaViews, type AreaTrees } from './views/areaViews';
import type { BuildersTree } from './views/buildersTree';
import { registerBuildersView } from './views/buildersView';
import type { EndpointStatuses } from './views/endpointStatuses';
import type { EventRouter } from './views/eventRouter';
import type { NamespacesTreeProvider } from './views/namespacesTree';
import { registerNamespacesView } from './views/namespacesView';
import type { ScopeStore } from './views/scope';
import { registerScopeStatusBar } from './views/scopeStatusBar';

/** What activate() returns: the extension's own test suite reads the trees through it. */
export interface ExtensionApi extends AreaTrees {
  readonly namespaces: NamespacesTreeProvider;
  readonly endpoints: EndpointStatuses;
  readonly events: EventRouter;
  readonly scope: ScopeStore;
  readonly inspect: InspectDocumentsApi;
  readonly requests: RequestCounts;
  readonly builders: BuildersTree;
  readonly doctor: DoctorApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const ctx = createCtx(context);
  const namespaces = registerNamespacesView(ctx);
  const trees = registerAreaViews(ctx);
  const inspect = registerInspectDocuments(ctx);
  registerRowActions(ctx);
  registerNerdctlCommands(ctx);
  registerImageCommands(ctx);
  registerPruneCommands(ctx);
  registerRegistryCommands(ctx);
  registerComposeCommands(ctx);
  registerContainerFileCommands(ctx);
  registerFileCommands(ctx);
  registerDockerfileCheck(ctx, registerBuildTasks(ctx, trees.images));
  const builders = registerBuildersView(ctx);
  registerBuildkitdDebugging(ctx, builders);
  const doctor = registerDoctor(ctx);
  registerScopeStatusBar(ctx);
  return { namespaces, endpoints: ctx.endpoints, events: ctx.events, scope: ctx.scope, inspect, requests: ctx.requests, builders, doctor, ...trees };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions and disposed by VS Code.
}
