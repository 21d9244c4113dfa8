// Path templates: what API Gateway refuses, the shape two routes collide on, parsing and matching.
import { describe, expect, it } from 'vitest';
import { endsGreedy, isTemplated, normalizePath, parsePathTemplate, pathTemplateProblems } from '../../lib/config/path-template';

describe('pathTemplateProblems', () => {
  it('accepts literal paths, the root, one-segment parameters and a final greedy one', () => {
    for (const p of ['/', '/api/users', '/users/{id}', '/users/{id}/keys/{keyId}', '/files/{rest+}', '/{proxy+}', '/v1.2/a_b/~c'])
      expect(pathTemplateProblems(p), p).toEqual([]);
  });

  it.each([
    ['api', 'starts with "/"'],
    ['/api/', 'trailing "/"'],
    ['/api//users', 'no empty segments'],
    ['/users/{}', 'needs a name'],
    ['/users/{1d}', 'needs a name'],
    ['/users/{id-x}', 'needs a name'],
    ['/users/{id}/x/{id}', 'appears twice'],
    ['/files/{rest+}/meta', 'must be the last segment'],
    ['/files/v{version}', 'mixes text and a parameter'],
    ['/files/{name}.json', 'mixes text and a parameter'],
    ['/a b', 'letters, digits'],
  ])('refuses %s (%s)', (path, problem) => {
    expect(pathTemplateProblems(path).join(' ')).toContain(problem);
  });
});

describe('parsePathTemplate', () => {
  it('splits segments into literals, parameters and a greedy tail, and lists the parameter names', () => {
    expect(parsePathTemplate('/users/{id}/files/{rest+}')).toEqual({
      path: '/users/{id}/files/{rest+}',
      segments: [
        { kind: 'literal', value: 'users' },
        { kind: 'param', name: 'id' },
        { kind: 'literal', value: 'files' },
        { kind: 'greedy', name: 'rest' },
      ],
      params: ['id', 'rest'],
    });
    expect(parsePathTemplate('/').segments).toEqual([]);
  });

  it('throws TypeError for a path that was not validated', () => {
    expect(() => parsePathTemplate('/a/{b+}/c')).toThrow(TypeError);
  });
});

describe('normalizePath', () => {
  it('erases parameter names so /users/{id} and /users/{uid} are one resource, and keeps greedy apart', () => {
    expect(normalizePath('/users/{id}')).toBe(normalizePath('/users/{uid}'));
    expect(normalizePath('/users/{id}/keys')).toBe('/users/{}/keys');
    expect(normalizePath('/users/{rest+}')).toBe('/users/{+}');
    expect(normalizePath('/users/{rest+}')).not.toBe(normalizePath('/users/{id}'));
    expect(isTemplated('/users/{id}')).toBe(true);
    expect(isTemplated('/users')).toBe(false);
    expect(endsGreedy('/a/{proxy+}')).toBe(true);
    expect(endsGreedy('/a/{id}')).toBe(false);
  });
});
