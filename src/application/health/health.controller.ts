import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port';
import { Public } from '../auth/roles.decorator';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  eventStore: { adapter: string; status: 'up' | 'down'; headPosition?: string; error?: string };
}

@Controller('health')
@Public()
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly eventStore: EventStore) {}

  /** 200 while the event store answers, 503 with the same report when it does not. */
  @Get()
  async health(): Promise<HealthReport> {
    const adapter = this.eventStore.adapter;
    try {
      const head = await this.eventStore.headPosition();
      return { status: 'ok', eventStore: { adapter, status: 'up', headPosition: head.toString() } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ServiceUnavailableException({
        status: 'unavailable',
        eventStore: { adapter, status: 'down', error: message },
      } satisfies HealthReport);
    }
  }
}
