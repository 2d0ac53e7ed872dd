import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, MaxLength } from 'class-validator';

export class AccountEmailRequestDto {
  @ApiProperty({ example: 'asha@example.com', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  email!: string;
}

export class AccountEmailAcceptedDto {
  @ApiProperty({
    example: 'If an account exists for this address, an email is on its way',
    description: 'The same answer whether or not the address has an account',
  })
  message!: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'The `token` of the link in the reset email' })
  @IsString()
  @Length(1, 200)
  token!: string;

  @ApiProperty({ minLength: 8, maxLength: 128, description: '8-128 characters, not the email' })
  @IsString()
  @Length(8, 128, { message: 'password must be 8 to 128 characters long' })
  password!: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'The `token` of the link in the verification email' })
  @IsString()
  @Length(1, 200)
  token!: string;
}
