// Keeps one comment on the pull request about its preview, edited on every push, so the
// conversation is not buried under one comment per commit. Called from actions/github-script:
//
//   await require('./.github/scripts/preview-comment.cjs')({ github, context, body })
const MARKER = "<!-- portico-preview -->";

module.exports = async function upsertPreviewComment({ github, context, body }) {
  const { owner, repo } = context.repo;
  const issue_number = context.payload.pull_request.number;
  const text = `${MARKER}\n${body}`;

  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const previous = comments.find((comment) => comment.user?.type === "Bot" && comment.body?.includes(MARKER));

  if (previous) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body: text });
  } else {
    await github.rest.issues.createComment({ owner, repo, issue_number, body: text });
  }
};
