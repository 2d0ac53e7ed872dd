import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EmailDeliveries, type EmailDeliveryView } from '#libs/notifications';
import type { Page } from '#libs/platform';
import { Roles } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import {
  EmailDeliveryDto,
  EmailDeliveryPageDto,
  ListEmailDeliveriesQuery,
} from './dto/email-deliveries.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/email-deliveries')
export class AdminEmailDeliveriesController {
  constructor(private readonly deliveries: EmailDeliveries) {}

  @ApiOperation({
    operationId: 'listEmailDeliveries',
    summary: 'Emails by state, e.g. the dead ones (admins)',
  })
  @Get()
  @ApiOkResponse({ type: EmailDeliveryPageDto, description: 'Most recently changed first' })
  list(@Query() query: ListEmailDeliveriesQuery): Promise<Page<EmailDeliveryView>> {
    return this.deliveries.list(query);
  }

  @ApiOperation({
    operationId: 'retryEmailDelivery',
    summary: 'Send a dead email again, with fresh attempts (admins)',
  })
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: EmailDeliveryDto })
  @ApiErrors('NOT_FOUND', 'EMAIL_NOT_DEAD')
  retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<EmailDeliveryView> {
    return this.deliveries.retry(id);
  }
}
