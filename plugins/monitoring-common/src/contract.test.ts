import { InputError, isError } from '@backstage/errors';
import { InvalidAnnotationsError } from './contract';

describe('InvalidAnnotationsError', () => {
  const error = new InvalidAnnotationsError([
    {
      annotation: 'prometheus-ocs.io/port',
      value: '99999',
      message: 'must be 1-65535',
    },
    { annotation: 'prometheus-ocs.io/path', message: 'must start with /' },
  ]);

  it('is an InputError, so Backstage error handlers answer it with 400', () => {
    expect(error).toBeInstanceOf(InputError);
    expect(InputError.is(error)).toBe(true);
    expect(isError(error)).toBe(true);
    expect(error.name).toBe('InputError');
  });

  it('names every annotation and value in its message and keeps the problems', () => {
    expect(error.message).toBe(
      'Invalid monitoring annotations: prometheus-ocs.io/port="99999": must be 1-65535; prometheus-ocs.io/path: must start with /',
    );
    expect(error.problems.map(p => p.annotation)).toEqual([
      'prometheus-ocs.io/port',
      'prometheus-ocs.io/path',
    ]);
  });
});
