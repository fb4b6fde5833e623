// Stories: the list by severity and time, or one story's page when the route names it (#/stories/<id>).
import { useRoutePath } from '../../app/use-route-path.js';
import { useCase } from '../../case/case-context.js';
import { NeedsCase } from '../common/NeedsCase.js';
import { StoryList } from './StoryList.js';
import { StoryPage } from './StoryPage.js';

export function StoriesView() {
  const [storyId] = useRoutePath();
  const { analysis, status } = useCase();
  if (status !== 'open' || !analysis) return <NeedsCase what="Stories" />;
  if (analysis.status !== 'ready') return <p role="alert">The engine could not analyse this case: {analysis.reason}</p>;
  if (storyId) return <StoryPage storyId={storyId} analysis={analysis} />;
  return <StoryList stories={analysis.stories} />;
}
