import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { Optional } from '#libs/platform';
import { ROLES, type Role } from '#libs/auth';

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

export class SignupDto {
  @ApiProperty({ example: 'asha@example.com', maxLength: 254 })
  @trim
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: '8-128 characters, not the email' })
  @IsString()
  @Length(8, 128, { message: 'password must be 8 to 128 characters long' })
  password!: string;

  @ApiProperty({ example: 'Asha Rao', maxLength: 100 })
  @trim
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '+919876543210' })
  @Optional()
  @trim
  @Matches(/^\+?[0-9]{7,15}$/, { message: 'phone must be 7-15 digits, optionally starting with +' })
  phone?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'asha@example.com' })
  @IsString()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(128)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login, signup or the last refresh' })
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'Also revoke the session of this refresh token' })
  @Optional()
  @IsString()
  @Length(1, 200)
  refreshToken?: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ description: "Whether the address was confirmed by a verification email's link" })
  emailVerified!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TokenPairDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ description: 'JWT (HS256), send as `Authorization: Bearer <token>`' })
  accessToken!: string;
  @ApiProperty({ description: 'Opaque; single use, rotated by /v1/auth/refresh' })
  refreshToken!: string;
  @ApiProperty({ type: 'integer', example: 900, description: 'Access token lifetime, seconds' })
  expiresIn!: number;
}
