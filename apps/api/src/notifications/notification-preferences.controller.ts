import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotificationPreferences, type PreferenceView } from '#libs/notifications';
import { CurrentUser, type Principal } from '../auth/principal.js';
import {
  NotificationPreferencesDto,
  UpdateNotificationPreferencesDto,
} from './dto/notification-preferences.dto.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('account/notification-preferences')
export class NotificationPreferencesController {
  constructor(private readonly preferences: NotificationPreferences) {}

  @ApiOperation({
    operationId: 'getNotificationPreferences',
    summary: 'Which kinds of notification reach me, in the app and by email',
  })
  @Get()
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async get(@CurrentUser() me: Principal): Promise<{ preferences: PreferenceView[] }> {
    return { preferences: await this.preferences.list(me.userId) };
  }

  @ApiOperation({
    operationId: 'updateNotificationPreferences',
    summary: 'Switch kinds of notification on or off per channel (security mails stay on)',
  })
  @Put()
  @ApiOkResponse({ type: NotificationPreferencesDto })
  async update(
    @CurrentUser() me: Principal,
    @Body() body: UpdateNotificationPreferencesDto,
  ): Promise<{ preferences: PreferenceView[] }> {
    return { preferences: await this.preferences.update(me.userId, body.preferences) };
  }
}
