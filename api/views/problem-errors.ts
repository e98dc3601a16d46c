import type { FastifyReply } from 'fastify';
import { findProblemIssues, type ProblemInput } from '../../solver/index.ts';

/** Answers 400 with a JSON pointer per bad field when the problem is invalid; true if it did. */
export function rejectInvalidProblem(
  reply: FastifyReply,
  problem: ProblemInput,
  message = 'the problem is invalid',
): boolean {
  const issues = findProblemIssues(problem);
  if (issues.length === 0) return false;
  void reply.code(400).send({
    error: 'E_VALIDATION',
    message,
    issues: issues.map((i) => ({ pointer: i.where, code: i.code, message: i.message })),
  });
  return true;
}
