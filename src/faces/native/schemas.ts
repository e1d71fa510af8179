/** Wire schemas shared by the native routes. Amounts travel as decimal strings (or numbers) in major units. */
import { Type } from 'typebox';

/** "800", "800.50", "1,200.00" or a JSON number; parsed exactly against the currency in the handler. */
export const MajorAmount = Type.Union([Type.String({ maxLength: 32 }), Type.Number()], { description: 'Amount in major units, e.g. "1200.50"' });
export const Percent = Type.Union([Type.String({ maxLength: 8 }), Type.Number()], { description: 'Percentage, e.g. 16 or "7.5"' });
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const ShortText = Type.String({ maxLength: 200 });
export const DateText = Type.String({ maxLength: 10, description: 'YYYY-MM-DD' });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const ErrorBody = Type.Object({ error: Type.String(), code: Type.String(), field: Type.Optional(Type.String()) });

export const errorResponses = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody,
};
