import { Container } from '@n8n/di';
// Not exported from n8n-core's index; every node execution creates it and its
// constructor starts a 60 s timer that would keep jest from exiting.
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});
