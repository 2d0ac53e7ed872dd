import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import {
  AuthService,
  SessionsService,
  toUserView,
  UsersService,
  type TokenPair,
  type UserView,
} from '#libs/auth';
import { Public } from '#libs/platform';
import { ApiErrors } from '../openapi/api-errors.decorator.js';
import { AuthRateLimitGuard } from './auth-rate-limit.guard.js';
import {
  LoginDto,
  LogoutDto,
  RefreshDto,
  SignupDto,
  TokenPairDto,
  UserDto,
} from './dto/auth.dto.js';
import { CurrentUser, type Principal } from './principal.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @ApiOperation({ operationId: 'signup', summary: 'Create a customer account and sign in' })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('signup')
  @ApiCreatedResponse({ type: TokenPairDto })
  @ApiErrors('EMAIL_TAKEN', 'RATE_LIMITED')
  signup(@Body() body: SignupDto): Promise<TokenPair> {
    return this.auth.signup(body);
  }

  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password' })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiErrors('INVALID_CREDENTIALS', 'ACCOUNT_DISABLED', 'RATE_LIMITED')
  login(@Body() body: LoginDto): Promise<TokenPair> {
    return this.auth.login(body.email, body.password);
  }

  @ApiOperation({
    operationId: 'refreshTokens',
    summary: 'Exchange a refresh token for a new token pair',
  })
  @Public()
  @UseGuards(AuthRateLimitGuard)
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokenPairDto,
    description: 'A new pair; the presented refresh token is spent',
  })
  @ApiErrors('INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED', 'ACCOUNT_DISABLED', 'RATE_LIMITED')
  refresh(@Body() body: RefreshDto): Promise<TokenPair> {
    return this.sessions.refresh(body.refreshToken);
  }

  @ApiOperation({ operationId: 'logout', summary: 'Sign out of this session' })
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'This session is revoked; this access token stops working' })
  async logout(@CurrentUser() me: Principal, @Body() body: LogoutDto): Promise<void> {
    await this.sessions.logout(me.claims, body?.refreshToken);
  }

  @ApiOperation({ operationId: 'logoutAll', summary: 'Sign out of every session' })
  @Post('logout-all')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every session of the user is revoked' })
  async logoutAll(@CurrentUser() me: Principal): Promise<void> {
    await this.sessions.logoutAll(me.claims);
  }

  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user' })
  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() me: Principal): Promise<UserView> {
    return toUserView(await this.users.get(me.userId));
  }
}
