import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** Who caused a timeline event (its own file: every OrderEvent class, dispatch's too, uses it). */
@ApiSchema({ name: 'OrderEventActor' })
export class OrderEventActorDto {
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null for the system',
    example: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
  })
  id!: string | null;
  @ApiProperty({ enum: ['customer', 'rider', 'admin', 'system'], example: 'customer' })
  role!: 'customer' | 'rider' | 'admin' | 'system';
}
