import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { toUserView, UsersService, type UserView } from '#libs/auth';
import type { Page } from '#libs/platform';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { ListUsersQuery, UpdateUserDto, UserPageDto } from './dto/admin-users.dto.js';
import { UserDto } from './dto/auth.dto.js';
import { CurrentUser, Roles, type Principal } from './principal.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiErrors('FORBIDDEN')
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperation({ operationId: 'listUsers', summary: 'List users (admins)' })
  @Get()
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: ListUsersQuery): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @ApiOperation({
    operationId: 'updateUser',
    summary: "Change a user's role, name or disabled flag (admins)",
  })
  @Patch(':id')
  @ApiOkResponse({ type: UserDto })
  @ApiErrors('NOT_FOUND', 'CONFLICT')
  async update(
    @CurrentUser() me: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserView> {
    return toUserView(await this.users.update(me.userId, id, body));
  }
}
