/** Check-your-understanding questions: predict (pick an answer) first, then reveal. */
export interface QuizQuestion {
  readonly prompt: string;
  readonly choices: readonly string[];
  /** Index of the correct choice. */
  readonly answer: number;
  /** Shown after the reader checks, right or wrong. */
  readonly explanation: string;
}

export function validateQuestions(questions: readonly QuizQuestion[]): void {
  if (questions.length < 1) throw new Error('a quiz needs at least one question');
  questions.forEach((q, i) => {
    if (q.choices.length < 2) throw new Error(`quiz question ${i + 1} needs at least two choices`);
    if (!Number.isInteger(q.answer) || q.answer < 0 || q.answer >= q.choices.length) {
      throw new Error(`quiz question ${i + 1}: answer ${q.answer} is not a choice index`);
    }
  });
}

export type Verdict =
  { kind: 'unanswered' } | { kind: 'right' } | { kind: 'wrong'; correct: string };

export function grade(q: QuizQuestion, selected: number | null): Verdict {
  if (selected === null) return { kind: 'unanswered' };
  return selected === q.answer
    ? { kind: 'right' }
    : { kind: 'wrong', correct: q.choices[q.answer] };
}
