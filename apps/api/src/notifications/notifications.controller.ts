import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags, ApiOperation } from '@nestjs/swagger';
import { NotificationsService, type NotificationView } from '#libs/notifications';
import type { Page } from '#libs/platform';
import { CurrentUser, type Principal } from '../auth/principal.js';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { PageQuery } from '../pagination/page-query.dto.js';

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orderId!: string | null;
  @ApiProperty({ example: 'order.packed' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty() body!: string;
  @ApiProperty({
    type: 'object',
    description:
      'By type: `order.<status>` { orderId, status, seq }; `order.short_picked` { orderId, seq, productId, refundDueMinor }; `order.rider_offered` { orderId, offerId, expiresAt }; `order.sla_breached` { orderId }',
    properties: {
      orderId: { type: 'string', format: 'uuid' },
      status: { type: 'string' },
      seq: { type: 'integer' },
      productId: { type: 'string', format: 'uuid' },
      refundDueMinor: { type: 'integer' },
      offerId: { type: 'string', format: 'uuid' },
      expiresAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: true,
    example: { orderId: '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', status: 'PACKED', seq: 2 },
  })
  data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readAt!: string | null;
}

class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto] }) items!: NotificationDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @ApiOperation({ operationId: 'listNotifications', summary: 'My notifications, newest first' })
  @Get()
  @ApiOkResponse({ type: NotificationPageDto, description: 'Unread first, then newest first' })
  list(@CurrentUser() me: Principal, @Query() query: PageQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(me.userId, query);
  }

  @ApiOperation({ operationId: 'markNotificationRead', summary: 'Mark a notification as read' })
  @Post(':id/read')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationDto })
  @ApiErrors('NOT_FOUND')
  read(
    @CurrentUser() me: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<NotificationView> {
    return this.notifications.markRead(me.userId, id);
  }
}
